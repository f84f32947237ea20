// Run Python in real Pyodide (from npm) under node: the test harness of tests/test_pyodide.py.
//
//   node run.mjs PYODIDE_DIR WHEEL_DIR WORK_DIR
//
// Every *.whl in WHEEL_DIR is unpacked into Pyodide's site-packages (pure wheels only: the
// CDN with Pyodide's own package builds is not used). WORK_DIR/driver.py then runs with
// WORK_DIR copied to /home/pyodide/work as the current folder; whatever it writes to
// result.json there is printed on stdout.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelDir, workDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: (s) => process.stderr.write(s + "\n") });

pyodide.FS.mkdirTree("/tmp/wheels");
for (const name of readdirSync(wheelDir).filter((n) => n.endsWith(".whl"))) {
  pyodide.FS.writeFile("/tmp/wheels/" + name, readFileSync(join(wheelDir, name)));
}
pyodide.FS.mkdirTree("/home/pyodide/work");
for (const name of readdirSync(workDir)) {
  pyodide.FS.writeFile("/home/pyodide/work/" + name, readFileSync(join(workDir, name)));
}
await pyodide.runPythonAsync(`
import glob, os, site, sys, zipfile
target = site.getsitepackages()[0]
for whl in sorted(glob.glob("/tmp/wheels/*.whl")):
    zipfile.ZipFile(whl).extractall(target)
os.chdir("/home/pyodide/work")
sys.path.insert(0, "/home/pyodide/work")
driver = {"__name__": "driver"}
exec(compile(open("driver.py").read(), "driver.py", "exec"), driver)
await driver["run"]()
`);
process.stdout.write(pyodide.FS.readFile("/home/pyodide/work/result.json", { encoding: "utf8" }));
