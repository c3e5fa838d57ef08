"""The bundle's pieces, without building it: the Python command-line
emulation, the kernelspec rules, the environment and log plumbing, icons,
the stdlib list (the built bundle: tests/integration/test_bundle.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, write_kernelspec
from jupyter_client.kernelspec import KernelSpecManager

from tkconsole.kernel import bundle
from tkconsole.kernel.bundle import BundleKernelSpecManager, SelfLaunchError
from tkconsole.models import frozen_build
from tkconsole.models.frozen_build import (
    KERNEL_MODE,
    PythonCommand,
    parse_python_command,
    user_environment,
)

sys.path.insert(0, str(ROOT / "packaging"))
import icons
import stdlib

# --------------------------------------------------------------- command line


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["-c", "print(1)", "a", "-c"], PythonCommand("code", "print(1)", ["a", "-c"])),
        (["-cprint(1)"], PythonCommand("code", "print(1)", [])),
        (["-m", "json.tool", "f.json"], PythonCommand("module", "json.tool", ["f.json"])),
        (["-u", "-X", "utf8", "-Wignore", "-m", "pip"], PythonCommand("module", "pip", [], "u")),
        (["-Es", "script.py", "--theme"], PythonCommand("script", "script.py", ["--theme"], "Es")),
        (["-", "x"], PythonCommand("stdin", "-", ["x"])),
        (["-V"], PythonCommand("version", "", [], "V")),
    ],
)
def test_python_command_lines_are_read_like_cpython(argv, expected):
    assert parse_python_command(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [[], ["--execute", "1"], ["--kernel", "ir"], ["-h"], ["-u"], ["-c"], [KERNEL_MODE, "-f", "x"]],
)
def test_tkconsole_command_lines_are_not_python(argv):
    assert parse_python_command(argv) is None


def emulate(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    """Run tkconsole.frozen.main(args) in a fresh interpreter, as the bundle would."""
    code = "import sys; from tkconsole.frozen import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_interpreter_emulation_runs_code_modules_and_scripts(tmp_path):
    (tmp_path / "shout.py").write_text("import sys\nprint(__name__, sys.argv[1:])\n")
    (tmp_path / "script.py").write_text("import sys, shout\nprint(sys.argv)\n")

    ran = emulate(["-c", "import sys; print(sys.argv, 6 * 7)", "a"], tmp_path)
    assert ran.stdout == "['-c', 'a'] 42\n"
    ran = emulate(["-m", "shout", "x", "--y"], tmp_path)  # found in the current directory
    assert ran.stdout == "__main__ ['x', '--y']\n"
    ran = emulate([str(tmp_path / "script.py"), "z"], ROOT)  # its folder goes on sys.path
    assert ran.stdout == f"shout ['z']\n['{tmp_path / 'script.py'}', 'z']\n"
    assert emulate(["-"], tmp_path, stdin="print(1 + 1)").stdout == "2\n"


def test_interpreter_emulation_exits_like_cpython(tmp_path):
    assert emulate(["-c", "raise SystemExit(3)"], tmp_path).returncode == 3
    failed = emulate(["-c", "x = 1\n1 / 0"], tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "Traceback (most recent call last):",
        '  File "<string>", line 2, in <module>',
        "ZeroDivisionError: division by zero",
    ]  # the program's frames only, none of the emulation's
    missing = emulate([str(tmp_path / "nope.py")], tmp_path)
    assert missing.returncode == 2
    assert "can't open file" in missing.stderr


def test_user_environment_drops_the_bootloader_state():
    env = {
        "LD_LIBRARY_PATH": "/app/_internal:/opt/lib",
        "LD_LIBRARY_PATH_ORIG": "/opt/lib",
        "_PYI_ARCHIVE_FILE": "/app/tkconsole",
        "_PYI_PARENT_PROCESS_LEVEL": "1",
        "HOME": "/home/me",
    }
    assert user_environment(env, "/app/_internal") == {
        "LD_LIBRARY_PATH": "/opt/lib",
        "HOME": "/home/me",
    }
    assert user_environment({"LD_LIBRARY_PATH": "/app/_internal"}, "/app/_internal") == {}


def test_not_frozen_nothing_changes():
    assert type(bundle.spec_manager()) is KernelSpecManager
    assert bundle.child_env({"TCL_LIBRARY": "/x", "A": "1"}) == {"TCL_LIBRARY": "/x", "A": "1"}
    assert bundle.launch_options() == {}


@pytest.fixture
def frozen_specs(tmp_path):
    """A frozen build's spec manager over a machine with some kernelspecs."""
    exe = tmp_path / "app" / "tkconsole"
    exe.parent.mkdir()
    exe.write_text("")
    exe.chmod(0o755)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "tkc").symlink_to(exe)
    kernels = tmp_path / "kernels"
    ipykernel = ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    write_kernelspec(kernels, "python3", ["/usr/bin/python3", *ipykernel])  # the machine's own
    write_kernelspec(kernels, "stock", ["python", *ipykernel, "--matplotlib=inline"])
    write_kernelspec(kernels, "venv", ["/home/me/venv/bin/python", *ipykernel])
    write_kernelspec(kernels, "mine", [str(exe), "-m", "mykernel", "-f", "{connection_file}"])
    write_kernelspec(kernels, "loop", [str(tmp_path / "bin" / "tkc"), "--theme", "darkly"])
    manager = BundleKernelSpecManager(executable=str(exe), kernel_dirs=[str(kernels)])
    manager.ensure_native_kernel = False
    return manager, str(exe)


def test_default_kernel_is_the_bundled_one(frozen_specs):
    specs, exe = frozen_specs
    spec = specs.get_kernel_spec("python3")
    assert spec.argv == [exe, KERNEL_MODE, "-f", "{connection_file}"]
    assert Path(spec.resource_dir, "logo-64x64.png").is_file()
    assert spec.metadata["supported_encryption"] == ["curve"]  # launched with CurveZMQ keys


def test_specs_pointing_back_at_the_app_are_defused(frozen_specs):
    specs, exe = frozen_specs
    assert specs.get_kernel_spec("stock").argv == [
        *[exe, KERNEL_MODE, "-f", "{connection_file}", "--matplotlib=inline"]
    ]
    assert specs.get_kernel_spec("mine").argv == [exe, "-m", "mykernel", "-f", "{connection_file}"]
    with pytest.raises(SelfLaunchError, match="would start tkconsole itself"):
        specs.get_kernel_spec("loop")


def test_machine_kernelspecs_are_listed_and_kept(frozen_specs):
    specs, exe = frozen_specs
    venv = specs.get_kernel_spec("venv")
    assert venv.argv[0] == "/home/me/venv/bin/python"
    listed = specs.get_all_specs()
    assert sorted(listed) == ["mine", "python3", "stock", "venv"]  # "loop" is left out
    assert listed["python3"]["spec"]["argv"][:2] == [exe, KERNEL_MODE]


def test_kernel_log_is_rotated_past_its_limit(tmp_path, monkeypatch):
    log = tmp_path / "logs" / "kernels.log"
    log.parent.mkdir()
    log.write_bytes(b"x" * 20)
    monkeypatch.setattr(frozen_build, "LOG_LIMIT", 10)
    with frozen_build.open_log(log, binary=True) as stream:
        stream.write(b"new\n")
    assert (tmp_path / "logs" / "kernels.log.1").read_bytes() == b"x" * 20
    with frozen_build.open_log(log) as stream:  # under the limit now: appended
        stream.write("more\n")
    assert log.read_text() == "new\nmore\n"


def test_icons_for_each_platform(tmp_path):
    from PIL import Image

    png = ROOT / "assets" / "icon.png"
    ico = icons.platform_icon(png, tmp_path, "win32")
    with Image.open(ico) as image:
        assert image.format == "ICO"
        assert (256, 256) in image.info["sizes"] and (16, 16) in image.info["sizes"]
    with Image.open(icons.platform_icon(png, tmp_path, "darwin")) as image:
        assert image.format == "ICNS"
    assert icons.platform_icon(png, tmp_path, "linux") is None


def test_the_bundle_takes_the_standard_library_but_not_its_tests():
    names = set(stdlib.stdlib_modules())
    assert {
        "sqlite3",
        "json.tool",
        "asyncio.tasks",
        "tkinter.ttk",
        "xml.etree.ElementTree",
    } <= names
    assert not {"idlelib", "test", "unittest.test", "tkinter.test", "_testcapi", "venv"} & names
