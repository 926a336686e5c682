() => {
  /* The hotline page's behaviour beyond Gradio's own, run once when the page loads (Gradio's `js`).
     Each part answers one thing a person met on the page; none of them is needed for an answer. */

  const MESSAGE = '#chat [data-testid="bot"], #chat [data-testid="user"]';

  /* The message (bot or user) a control inside the chat belongs to: the last one before it. */
  const messageOf = (control) => {
    let scope = control;
    while (scope && !scope.querySelector(MESSAGE)) scope = scope.parentElement;
    if (!scope) return null;
    const before = [...scope.querySelectorAll(MESSAGE)].filter(
      (m) => m.compareDocumentPosition(control) & Node.DOCUMENT_POSITION_FOLLOWING || m.contains(control)
    );
    return before.length ? before[before.length - 1] : null;
  };

  /* The text a person sees in a message: no Markdown, and a closed source chip says only its line. */
  const shown = (message) => (message.querySelector(".message-content") || message).innerText.trim();

  /* [n] in an answer opens the n-th source chip under it. */
  document.addEventListener("click", (event) => {
    const mark = event.target.closest('#chat a[href^="#source-"]');
    if (!mark) return;
    event.preventDefault();
    event.stopPropagation();
    const n = Number(mark.getAttribute("href").slice("#source-".length));
    const chips = (mark.closest(".message-content") || document).querySelectorAll("details.source");
    const chip = chips[n - 1];
    if (chip) {
      chip.open = true;
      chip.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }, true);

  /* The copy button copies what the message says, not its Markdown. Gradio's own handler is stopped
     before it runs; the button's label says it was copied. */
  document.addEventListener("click", (event) => {
    const button = event.target.closest('#chat button[aria-label="Копировать сообщение"], #chat button[aria-label="Copy message"]');
    if (!button) return;
    const message = messageOf(button);
    if (!message) return;
    event.preventDefault();
    event.stopPropagation();
    const text = shown(message);
    const done = () => { button.title = "Скопировано"; setTimeout(() => { button.title = "Копировать сообщение"; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => {});
    } else {
      const area = document.createElement("textarea");
      area.value = text;
      area.style.position = "fixed";
      area.style.left = "-9999px";
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
      done();
    }
  }, true);

  /* Screen readers hear a message as it is shown: Gradio labels it with its raw Markdown.
     A new answer is shown from its top, where the facts are, when it arrives (not when its placeholder
     appears, and not at its end as Gradio's autoscroll would): with its question above it when both fit
     in the upper part of the chat, else from its own first line. Once per answer, so reading on while
     it streams is not interrupted. */
  const THINKING = "THINKING_TEXT";
  let shownFrom = -1;
  /* Gradio's controls that a screen reader would name in English, named in Russian; a control whose
     visible text differs from its English name is named by its text (WCAG 2.5.3). */
  const RUSSIAN = {
    "chatbot conversation": "Разговор",
    "Scroll down": "Прокрутить вниз",
    "Open cell menu": "Меню ячейки",
    "Copy table data": "Копировать таблицу",
    "Fullscreen": "Во весь экран",
    "Exit fullscreen mode": "Выйти из полноэкранного режима",
    "Dataframe": "Таблица",
    "Table actions": "Действия с таблицей",
    "File upload": "Загрузка файла",
    "Enter text to search the table": "Поиск по таблице",
    "Clear": "Очистить",
    "Download": "Скачать",
  };
  const russian = () => {
    for (const search of document.querySelectorAll('input[placeholder="Search..."]')) search.placeholder = "Поиск…";
    for (const search of document.querySelectorAll("input.search-input:not([aria-label])")) search.setAttribute("aria-label", "Поиск по таблице");
    for (const attribute of ["aria-label", "title"]) {
      for (const element of document.querySelectorAll(`[${attribute}]`)) {
        const said = element.getAttribute(attribute);
        const example = /^Select example (\d+): (.*)$/s.exec(said);
        const now = example ? `Пример ${example[1]}: ${example[2]}` : RUSSIAN[said];
        if (now) element.setAttribute(attribute, now);
      }
    }
    for (const upload of document.querySelectorAll("button.upload-container[aria-label]")) upload.removeAttribute("aria-label");
    for (const empty of document.querySelectorAll("div.empty[aria-label]")) empty.removeAttribute("aria-label");
    // The chat's examples are buttons in a "list" without list items: a screen reader hears buttons.
    for (const list of document.querySelectorAll("#chat .examples[role=list]")) list.removeAttribute("role");
  };
  /* An action's result on the knowledge base is brought into view when it arrives, beside its button. */
  const RESULTS = ["ingest-result", "delete-result", "upload-result"];
  const said = {};
  const results = () => {
    for (const id of RESULTS) {
      const element = document.getElementById(id);
      const now = element ? element.innerText.trim() : "";
      if (now && now !== said[id] && !element.querySelector(".progress-text, .eta-bar")) {
        element.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
      said[id] = now;
    }
  };
  const tidy = () => {
    russian();
    results();
    for (const message of document.querySelectorAll(MESSAGE)) {
      const label = (message.dataset.testid === "bot" ? "Ответ: " : "Вопрос: ") + shown(message);
      if (message.getAttribute("aria-label") !== label) message.setAttribute("aria-label", label);
    }
    const log = document.querySelector('#chat [role="log"]');
    if (!log) return;
    const answers = log.querySelectorAll('[data-testid="bot"]');
    if (answers.length - 1 < shownFrom) shownFrom = -1; // the chat was cleared
    const last = answers[answers.length - 1];
    if (!last || answers.length - 1 === shownFrom || shown(last).includes(THINKING) || !shown(last)) return;
    shownFrom = answers.length - 1;
    const view = log.getBoundingClientRect();
    const answerTop = last.getBoundingClientRect().top;
    const asked = [...log.querySelectorAll('[data-testid="user"]')].pop();
    const questionTop = asked ? asked.getBoundingClientRect().top : answerTop;
    const top = answerTop - questionTop < view.height / 3 ? questionTop : answerTop;
    log.scrollTop += top - view.top - 8;
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; tidy(); });
  }).observe(document.body, { subtree: true, childList: true, characterData: true });

  /* A clicked article's text opens under the table: it is brought into view when it arrives. */
  document.addEventListener("click", (event) => {
    if (!event.target.closest || !event.target.closest("#articles .body-cell, #articles td")) return;
    const text = () => document.querySelector("#article-text textarea");
    const before = text() ? text().value : null; // hidden until the first row is clicked
    let tries = 0;
    const wait = setInterval(() => {
      tries += 1;
      const box = text();
      if ((box && box.value !== before) || tries > 30) {
        clearInterval(wait);
        if (box) document.getElementById("article-text").scrollIntoView({ block: "start", behavior: "smooth" });
      }
    }, 100);
  });

  /* An article over its type's size limit, or of a type the corpus does not read, is refused here, before a
     byte is sent; Gradio would send it whole and then say so in English. The limits and the words are the
     server's (ingest/upload.py browser_rules). */
  const RULES = UPLOAD_RULES;
  const filled = (template, fields) => template.replace(/\{(\w+)\}/g, (all, key) => (key in fields ? fields[key] : all));
  const sizeText = (n) => { /* as ingest/upload.py size_text says it */
    if (n < 1000) return filled(RULES.bytes, { n });
    let value = n;
    let unit = "";
    for (const next of RULES.units) {
      value /= 1000;
      unit = next;
      if (value < 1000) break;
    }
    const shown = value < 10 ? value.toFixed(1).replace(/\.?0+$/, "") : value.toFixed(0);
    return `${shown.replace(".", ",")} ${unit}`;
  };
  /* The server's rule for an article's name (ingest/upload.py NAME): checked here so that the refusal
     quotes the name as chosen (Gradio strips some characters before the server sees it) with a fix. */
  const NAME = /^[\p{L}\p{N}_][\p{L}\p{N}\p{M}_ .,()+-]{0,150}$/u;
  const suggestion = (name) => {
    const dot = name.lastIndexOf(".");
    const stem = name.slice(0, dot).replace(/\s*[^\p{L}\p{N}\p{M}_ .,()+-]+\s*/gu, "-").replace(/-{2,}/g, "-")
      .replace(/^[\s.-]+|[\s.-]+$/g, "");
    return (stem || "article") + name.slice(dot).toLowerCase();
  };
  const refuse = (files) => {
    const note = document.getElementById("upload-refusal");
    for (const file of files) {
      const dot = file.name.lastIndexOf(".");
      const suffix = dot < 0 ? "" : file.name.slice(dot).toLowerCase();
      const fields = { name: file.name, suffixes: RULES.suffixes, suggestion: suggestion(file.name) };
      let why = "";
      if (!(suffix in RULES.limits)) why = filled(RULES.words.suffix, fields);
      else if (!NAME.test(file.name.normalize("NFC"))) why = filled(RULES.words.characters, fields);
      else if (file.size > RULES.limits[suffix]) {
        why = filled(RULES.words.too_large, { ...fields, limit: RULES.sizes[suffix], size: sizeText(file.size) });
      }
      if (why) {
        if (note) note.textContent = filled(RULES.refused.replace(/\*\*/g, ""), { why });
        return true;
      }
    }
    if (note) note.textContent = "";
    return false;
  };
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.closest("#upload")) return;
    if (refuse(input.files || [])) {
      event.stopImmediatePropagation();
      event.stopPropagation();
      input.value = "";
    }
  }, true);
  document.addEventListener("drop", (event) => {
    if (!event.target.closest || !event.target.closest("#upload")) return;
    if (refuse(event.dataTransfer ? event.dataTransfer.files : [])) {
      event.preventDefault();
      event.stopImmediatePropagation();
      event.stopPropagation();
    }
  }, true);
}
