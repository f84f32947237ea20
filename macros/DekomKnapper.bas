Attribute VB_Name = "DekomKnapper"
' dekom_xl: the buttons of the allocation workbook. Each calls one Python function in
' dekom_xl.xl through the installed xlwings add-in (late-bound: no VBA reference needed).
' Source of truth: this file. Built into xlsx_templates/fordeling.xlsm by dekom_xl.io.xlsm.
Option Explicit

Private Sub Kjor(ByVal funksjon As String)
    On Error GoTo Feil
    Application.Run "xlwings.xlam!RunPython", "import dekom_xl.xl as x; x." & funksjon & "()"
    Exit Sub
Feil:
    MsgBox "Fant ikke xlwings-tillegget eller Python." & vbCrLf & vbCrLf & _
        "Installer Python og dekom-xl, og kj" & ChrW(248) & "r 'xlwings addin install'. " & _
        "Se README, avsnittet 'I Excel'." & vbCrLf & vbCrLf & "(" & Err.Description & ")", _
        vbExclamation, "dekom-xl"
End Sub

Public Sub BeregnRammer()
    Kjor "knapp_beregn_rammer"
End Sub

Public Sub HentBeslutningsgrunnlag()
    Kjor "knapp_hent_beslutningsgrunnlag"
End Sub

Public Sub OppdaterSammendrag()
    Kjor "knapp_oppdater_sammendrag"
End Sub

Public Sub SkrivTildelingsbrev()
    Kjor "knapp_skriv_tildelingsbrev"
End Sub

Public Sub NyttAr()
    Kjor "knapp_nytt_ar"
End Sub
