"""Every failure is a sentence: signals and unexpected errors of the command line.

``Guard`` wraps a command: whatever escapes it (an error, SIGINT, SIGTERM)
becomes one Chinese sentence on stderr and the documented exit code, never a
traceback. The traceback, for developers, goes to a log file the sentence names
(``publish-error.log`` beside the build report, else a private file in the
temporary folder), and to stderr too with ``--debug``.

SIGINT and SIGTERM raise ``Interrupted`` wherever the build is, so it stops
before the live site or the ledger change: the ledger commit and the swap of
the live link are the only live changes. From the commit on (``publishing()``)
a signal waits: the build finishes publishing (milliseconds) and its report,
and says that the signal came too late to stop it.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sqlite3
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

EXIT_USAGE, EXIT_FAILED = 2, 3
SIGNAL_NAMES = {signal.SIGINT: "中断信号（SIGINT，Ctrl-C）", signal.SIGTERM: "终止信号（SIGTERM）"}


class Interrupted(BaseException):
    """SIGINT or SIGTERM; a BaseException so that ``except Exception`` on the way lets it through."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class SettingsError(Exception):
    """A setting the build cannot use: a usage error (exit 2), said in one sentence."""


class _State:
    """Where the command is, for the signal handler and the final sentence."""

    def __init__(self):
        self.deferring = False  # from the ledger commit on, signals wait
        self.pending: int | None = None  # a signal that came meanwhile
        self.committed = self.swapped = False

    def handle(self, signum, frame):
        if self.deferring:
            self.pending = signum
            return
        raise Interrupted(signum)


_state = _State()


@contextmanager
def signals_raise():
    """SIGINT and SIGTERM raise ``Interrupted`` for the duration (main thread only)."""
    global _state
    _state = _State()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.signal(s, _state.handle) for s in SIGNAL_NAMES}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def publishing() -> _State:
    """Called just before the ledger commit: from here to the end of the
    command a signal waits (``late_signal``). The caller sets ``committed``
    and ``swapped`` on the returned state as it goes, so that a failure
    afterwards is told truthfully."""
    _state.deferring = True
    return _state


def late_signal() -> str | None:
    """The name of a signal that came while publishing, if one did."""
    return SIGNAL_NAMES.get(_state.pending) if _state.pending else None


def child_signals() -> None:
    """In a helper process of the build: SIGTERM ends it quietly and SIGINT
    (Ctrl-C reaches the whole process group) is left to the build, which stops
    its helpers itself — no helper prints a traceback."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_the_build()


def _die_with_the_build() -> None:
    """On Linux the kernel kills a helper whose build died (kill -9 included):
    left running, it would go on writing into the slot the next build writes."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the build stops its helpers itself
        pass


_PR_SET_PDEATHSIG = 1


def _outcome(building: bool) -> str:
    if not building:
        return ""
    if _state.swapped:
        return "本次构建已经发布（台账已记录，网站已切换），出错的是发布之后的步骤。"
    if _state.committed:
        return "发布台账已记录本次构建，但网站尚未切换；下次运行时会自动完成切换。"
    return "未发布任何内容，线上网站和发布台账保持不变。"


def sentence(exc: BaseException, building: bool, ledger: Path | None = None) -> tuple[int, str]:
    """The exit code and the one sentence for what escaped a command."""
    unchanged = _outcome(building)
    if isinstance(exc, KeyboardInterrupt):  # SIGINT outside the main thread's handler
        exc = Interrupted(signal.SIGINT)
    if isinstance(exc, Interrupted):
        what = "构建" if building else "校验"
        return 128 + exc.signum, f"收到{SIGNAL_NAMES[exc.signum]}，{what}已中止：{unchanged}"
    if isinstance(exc, SettingsError):
        return EXIT_USAGE, f"设置有误：{exc}。{unchanged}请修改 pelicanconf.py 后重新运行。"
    if isinstance(exc, sqlite3.Error):
        where = f"（{ledger}）" if ledger else "（设置 GONGSHI_LEDGER）"
        return EXIT_FAILED, (f"发布台账{where}无法读写：{exc}。{unchanged}请检查该文件的权限和磁盘空间；"
                             f"如果文件已损坏，请从备份恢复（不要删除它：它记录着每个决定的首次公开和撤下日期）。")
    if isinstance(exc, MemoryError):
        return EXIT_FAILED, f"内存不足，构建已中止：{unchanged}请关闭其他程序或在内存更大的机器上运行。"
    if isinstance(exc, OSError):
        path = f"“{exc.filename}”" if exc.filename else ""
        return EXIT_FAILED, (f"无法读写文件{path}：{exc.strerror or exc}。{unchanged}"
                             f"请检查磁盘空间、文件权限和该路径是否存在。")
    return EXIT_FAILED, f"{'构建' if building else '校验'}意外失败（{type(exc).__name__}: {exc}）。{unchanged}"


def _write_trace(text: str, preferred: Path | None) -> Path | None:
    """Write the traceback where the webmaster finds it; None if nowhere can take it."""
    if preferred is not None:
        try:  # (never makes folders: a missing data folder stays missing)
            with open(preferred, "a", encoding="utf-8") as f:
                f.write(text)
            return preferred
        except OSError:
            pass
    try:
        fd, name = tempfile.mkstemp(prefix="gongshi-error-", suffix=".log")  # private: mode 0600
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return Path(name)
    except OSError:
        return None


class Guard:
    """``with Guard(args, building) as guard: return command(args)``, then
    ``return guard.code``. The command may set ``args.error_log`` (where
    tracebacks go) and ``args.ledger_path`` (named in a ledger error) once it
    knows them from the settings."""

    def __init__(self, args, building: bool):
        self.args, self.building = args, building
        self.code = 0
        self._signals = signals_raise()

    def __enter__(self) -> Guard:
        self._signals.__enter__()
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        self._signals.__exit__(None, None, None)
        if exc is None or isinstance(exc, SystemExit):
            return False
        self.code, text = sentence(exc, self.building, getattr(self.args, "ledger_path", None))
        if not isinstance(exc, Interrupted):
            trace = "".join(traceback.format_exception(kind, exc, tb))
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            where = _write_trace(f"--- {stamp} 进程 {os.getpid()} {' '.join(sys.argv)}\n{trace}\n",
                                 getattr(self.args, "error_log", None))
            if getattr(self.args, "debug", False):
                print(trace, file=sys.stderr, end="")
            if where is not None:
                text += f"详细错误信息（供技术人员排查）已写入 {where}。"
        print(text, file=sys.stderr)
        return True
