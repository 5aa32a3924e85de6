"""The web tests' corpus: the five seeds plus one document full of markup.

Kept apart from ``web_fixtures`` (a pytest plugin) so test modules can import
these names without defeating pytest's assertion rewriting of the plugin.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SEED_CORPUS = Path(__file__).parent / "data" / "corpus"

# A document whose title and text carry markup: it must come out escaped everywhere.
EVIL_FILE = "900_script_test.txt"
EVIL_DOC_ID = "900_script_test"
EVIL_MARKUP = '<script>alert("xss")</script>'
EVIL_TEXT = f"""ỦY BAN NHÂN DÂN XÃ AN PHÚ
Số: 77/KH-UBND

An Phú, ngày 02 tháng 12 năm 2024

KẾ HOẠCH
Thử nghiệm an toàn {EVIL_MARKUP} trong trường học

Thực hiện Chỉ thị số 29-CT/TW ngày 05/01/2024 của Bộ Chính trị, Ủy ban nhân dân xã
ban hành kế hoạch thử nghiệm an toàn như sau: {EVIL_MARKUP} <img src=x onerror=alert(1)>

Nơi nhận: như trên.
"""

SEED_001 = "001_390e6e42b23c01ee"
SEED_000 = "000_483593662cc2f1b9"


def make_corpus(target: Path, *, evil: bool = True) -> Path:
    """Copy the seed .txt files (and the hostile document) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEED_CORPUS.glob("*.txt")):
        shutil.copy2(path, target / path.name)
    if evil:
        (target / EVIL_FILE).write_text(EVIL_TEXT, encoding="utf-8")
    return target


@contextmanager
def serve_in_background(app: Any, threads: int = 4) -> Iterator[str]:
    """waitress serving ``app`` on a free loopback port in a thread; yields the base URL.

    The loop is stopped from inside its own thread (a trigger thunk closes every
    socket it watches), so no select() ever runs on a closed descriptor.
    """
    import waitress
    from waitress import wasyncore

    server: Any = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, name="waitress-test", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=30)
        server.task_dispatcher.shutdown()
