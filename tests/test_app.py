"""The page: the real Gradio server on loopback, driven through gradio_client as the browser drives it."""

from __future__ import annotations

import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from .conftest import MAINTAINER, REPO, Server, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(page_server: Server) -> Server:
    return page_server


def knowledge_base(server: Server) -> Client:
    return Client(server.url + "kb/", auth=MAINTAINER, verbose=False)


def text_of(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def chat(client: Client, question: str) -> tuple[str, str | None]:
    """(the answer card's text, its source chips or None) for ``question`` in the client's conversation."""
    messages = client.predict(question, api_name="/chat")[0]
    answer, chips, sources = text_of(messages[-1]).partition("<details")
    return answer, (chips + sources if chips else None)


def test_the_chat_answers_with_the_phone_and_its_source(server: Server) -> None:
    with urllib.request.urlopen(server.url, timeout=10) as response:
        page = response.read().decode("utf-8")
    assert "hotline" in page
    assert "fonts.googleapis" not in page  # the page loads nothing from the internet
    client = Client(server.url, verbose=False)
    answer, sources = chat(client, "Какой телефон у Ozon Card?")
    assert "[8 800 775-07-99](tel:+78007750799)" in answer  # a tel: link
    assert sources is not None
    assert "Озон Премиум: куда обращаться" in sources  # article › section
    assert "**[8 800 775-07-99](tel:+78007750799)**" in sources  # the fact highlighted in the passage
    assert "Источники:" not in answer  # said once, by the chips


def test_emails_are_mailto_links(server: Server) -> None:
    answer, _ = chat(Client(server.url, verbose=False), "какая почта у поддержки озон?")
    assert "[help@ozon.ru](mailto:help@ozon.ru)" in answer


def test_a_follow_up_uses_the_conversation(server: Server) -> None:
    client = Client(server.url, verbose=False)  # one client is one browser session: the conversation is kept
    chat(client, "Какой телефон Озона для Москвы?")
    answer, _ = chat(client, "а для Питера?")
    assert "494-06-06" in answer
    assert "009-70-70" not in answer.split("\n\n")[0]


@pytest.mark.parametrize(
    "question",
    ["?!", "🙂🙂🙂🤔", "<script>alert('x')</script>", "<img src=x onerror=alert(1)> телефон озон", "ы" * 20_000],
)
def test_bad_input_gets_a_polite_answer(server: Server, question: str) -> None:
    answer, _ = chat(Client(server.url, verbose=False), question)
    assert answer
    assert "Traceback" not in answer and "Error" not in answer
    assert "<script" not in answer and "<img" not in answer  # escaped, never markup


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_changes_nothing(server: Server, question: str) -> None:
    shown = Client(server.url, verbose=False).predict(question, api_name="/chat")[0]
    assert not isinstance(shown, list) or not shown  # the chat is left as it was: no bubble, no reply


def test_a_long_message_is_answered_by_its_question_at_the_end_with_a_note(server: Server) -> None:
    story = "У меня карта Ozon Card. " + "Вчера я долго ждал в очереди и ничего не решилось. " * 100
    answer, _ = chat(Client(server.url, verbose=False), story + "Какой у неё телефон поддержки?")  # 5,000 characters
    assert "очень длинное" in answer and "775-07-99" in answer, answer


def test_reingest_and_upload_from_the_page(server: Server) -> None:
    client, kb = Client(server.url, verbose=False), knowledge_base(server)
    article = server.settings.corpus_dir / "ozon-hotline-call-or-write.md"
    article.write_text(article.read_text(encoding="utf-8").replace("775-07-99", "555-35-35"), encoding="utf-8")
    result, stats, table, organizations, _, _ = kb.predict(api_name="/reingest")
    assert "изменено" in result or "изменён" in result or "добавлен" in result, result
    articles = len(list(server.settings.corpus_dir.glob("*.md")))
    assert f"{articles} стат" in stats and len(table["data"]) == articles
    assert "Ozon" in [row[0] for row in organizations["data"]]  # the registry, refreshed with the rest
    answer, _ = chat(client, "Какой телефон у Ozon Card?")
    assert "555-35-35" in answer and "775-07-99" not in answer

    new = server.settings.data_dir.parent / "upload" / "kazan.md"
    new.parent.mkdir()
    new.write_text(
        "---\ntitle: Пункт выдачи в Казани\n---\n\n## Контакты\n\n"
        "Телефон пункта выдачи в Казани: +7 (843) 200-00-00.\n",
        encoding="utf-8",
    )
    result, box, stats, table, organizations, _, _ = kb.predict(handle_file(str(new)), api_name="/upload")
    assert "kazan.md" in result and "добавлен" in result, result
    assert box is None  # the upload box is emptied after a success
    assert "Пункт выдачи в Казани" in [row[1] for row in table["data"]]
    assert (server.settings.corpus_dir / "kazan.md").is_file()
    answer, _ = chat(client, "телефон пункта выдачи в Казани")
    assert "200-00-00" in answer
    result, *_ = kb.predict(handle_file(str(new)), api_name="/upload")  # the same file again
    assert result.startswith("**Ничего не изменилось:** «kazan.md»") and "добавлен" not in result, result
    new.write_text(new.read_text(encoding="utf-8").replace("200-00-00", "200-00-09"), encoding="utf-8")
    result, *_ = kb.predict(handle_file(str(new)), api_name="/upload")
    assert "«kazan.md» заменена" in result and "1 фрагмент изменён" in result, result


def test_a_bad_upload_changes_nothing(server: Server, tmp_path: Path) -> None:
    client = knowledge_base(server)
    before = sorted(p.name for p in server.settings.corpus_dir.iterdir())
    binary = tmp_path / "photo.md"
    binary.write_bytes(bytes(range(256)) * 10)
    result, *_ = client.predict(handle_file(str(binary)), api_name="/upload")
    assert "Не загружено" in result and "не текст" in result
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ")
    with pytest.raises(AppError, match="Invalid file type"):  # Gradio itself refuses what file_types excludes
        client.predict(handle_file(str(program)), api_name="/upload")
    assert sorted(p.name for p in server.settings.corpus_dir.iterdir()) == before


def test_feedback_is_exported_as_csv(server: Server) -> None:
    folders = set(Path(tempfile.gettempdir()).glob("hotline-feedback-*"))
    for _ in range(3):
        path = knowledge_base(server).predict(api_name="/export_feedback")
    assert len(set(Path(tempfile.gettempdir()).glob("hotline-feedback-*")) - folders) <= 1  # not one per export
    assert Path(path).read_text(encoding="utf-8-sig").splitlines()[0].startswith("id,at,rating,question")
    served = list((server.settings.data_dir.parent / "gradio-files").rglob("feedback.csv"))
    assert served and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in served)  # not world-readable


def test_the_chat_serves_no_knowledge_base_endpoint_and_the_knowledge_base_needs_its_login(server: Server) -> None:
    endpoints = Client(server.url, verbose=False).view_api(print_info=False, return_format="dict")
    assert set(endpoints["named_endpoints"]) == {"/chat"}  # /reingest, /upload, /delete…: only under /kb/
    with pytest.raises(Exception, match="credentials"):
        Client(server.url + "kb/", verbose=False)
    for path in ("kb/gradio_api/info", "kb/config"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.url + path, timeout=10)
        assert refused.value.code == 401
    assert "/reingest" in knowledge_base(server).view_api(print_info=False, return_format="dict")["named_endpoints"]


def test_repeated_wrong_passwords_are_slowed_down(server: Server) -> None:
    def login(password: str) -> int:
        form = f"username=boss&password={password}".encode()
        try:
            with urllib.request.urlopen(urllib.request.Request(server.url + "kb/login", data=form), timeout=10) as r:
                return int(r.status)
        except urllib.error.HTTPError as refused:
            return int(refused.code)

    codes = [login(f"guess{n}") for n in range(12)]
    assert codes[:5] == [400] * 5 and 429 in codes  # five free tries, then the client waits
    time.sleep(2.5)
    assert login(MAINTAINER[1]) == 200  # the right password, once the wait is over, gets in


def test_a_login_guards_the_chat_and_without_a_maintainer_login_there_is_no_knowledge_base(
    tmp_path: Path, models_dir: Path
) -> None:
    for server in start_server(tmp_path, models_dir, "--host", "0.0.0.0", env={"HOTLINE_AUTH": "agent:s3cret"}):
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a bare ValueError/HTTP error
            Client(server.url, verbose=False).predict("телефон озон", api_name="/chat")
        client = Client(server.url, auth=("agent", "s3cret"), verbose=False)
        answer, _ = chat(client, "телефон озон")
        assert "234-70-00" in answer
        assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/chat"}
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.url + "kb/gradio_api/info", timeout=10)
        for path in ("kb", "kb/", "kb/gradio_api/info"):  # a page that says so, not Gradio's raw JSON
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(server.url + path, timeout=10)
            assert refused.value.code == 404 and "text/html" in refused.value.headers["content-type"]
            assert "База знаний на этом сервере не включена" in refused.value.read().decode()
        said = server.log.read_text()
        assert "HOTLINE_MAINTAINER" in said
        # the warm-up's line, once the chat has answered (it had printed the page's no-knowledge-base HTML)
        assert "model and index loaded in" in said and "<a href" not in said
        import httpx  # the API asks for the chat's login too, as HTTP Basic

        asked = {"question": "телефон озон"}
        with httpx.Client(base_url=server.url, timeout=60) as api:
            refused = api.post("api/v1/answer", json=asked)
            assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")
            assert api.post("api/v1/answer", json=asked, auth=("agent", "wrong")).status_code == 401
            answered = api.post("api/v1/answer", json=asked, auth=("agent", "s3cret"))
            assert answered.status_code == 200 and "234-70-00" in answered.json()["text"]


def test_an_article_that_would_take_the_page_down_is_refused_in_one_line_and_the_chat_keeps_answering(
    server: Server, tmp_path: Path
) -> None:
    from .test_load import ALIAS_BOMB

    kb, client = knowledge_base(server), Client(server.url, verbose=False)
    body = "\n\n## Контакты\n\nТелефон пункта выдачи: +7 (843) 200-00-01.\n"
    for name, front in [("bomb.md", ALIAS_BOMB), ("listed.md", "title: Пункт\norganization: [Ozon, Озон]")]:
        upload = tmp_path / name
        upload.write_text(f"---\n{front}\n---{body}", encoding="utf-8")
        result, *_ = kb.predict(handle_file(str(upload)), api_name="/upload")
        assert "Не загружено" in result and "шапка статьи" in result and "\n" not in result.strip(), result
        assert not (server.settings.corpus_dir / name).exists()
    started = time.monotonic()
    answer, _ = chat(client, "телефон пункта выдачи Боровик в Казани")
    assert "200-00-00" in answer and time.monotonic() - started < 1.0


def test_a_port_in_use_is_one_line_at_once() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "app.py", "--port", str(port)], cwd=REPO, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use); stop what serves there, or start with"
        f" --port {port + 1}"
    ]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (make browser installs it)")
def test_the_pages_script_as_served_is_valid_javascript(tmp_path: Path) -> None:
    """page.js gets the server's limits and words written in; a slip there (a name declared twice, a quote in
    a word) would stop every script of the page, the upload's checks and the Russian control names with it."""
    import app
    from hotline import Settings

    script = tmp_path / "page.js"
    script.write_text(app.page_script(Settings()), encoding="utf-8")
    checked = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
