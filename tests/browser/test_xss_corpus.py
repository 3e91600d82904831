"""A bank with XSS payloads in every field is uploaded, published, assigned, taken and reviewed in Chromium,
and no script runs on any page that shows it, for the instructor, the student or an admin.

The payloads come from tests/fixtures/xss_payloads.txt. A payload that ran would call alert() (replaced by a hook
that sets window.__xss), set window.__xss itself, open a dialog or ask for /__xss_beacon. The walk through the
pages runs with the Content-Security-Policy switched off (Playwright's bypass_csp), so the escaping and the nh3
allowlist must hold on their own; every page visited is then visited again with the policy on, which must be
sent without 'unsafe-inline' and must never have to block anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
import yaml

from quizapp.models import Role
from tests.browser.shared import kind_of, log_in, module_browser, module_server  # noqa: F401 - fixtures
from tests.test_xss_payloads import PAYLOADS

pytestmark = pytest.mark.browser

BANK_ID = "xss-corpus"
BANK_TITLE = "Hostile bank <script>window.__xss=1</script><img src=x onerror=alert(1)> {{7*7}}"
CORE_TOPIC = "Core \"><svg onload=alert(1)> {{7*7}}"
QUOTE = {"document": "osw-2022", "quote": "has been reduced from 107 to 98"}
TYPED = '"><img src=x onerror=alert(1)><script>window.__xss=1</script>'
# Shown as text on the pages where the field they sit in is rendered as Markdown.
VISIBLE = ["<script>window.__xss=1</script>", "<img src=x onerror=alert(1)>", "[md link](javascript:alert(1))",
           '" onmouseover="alert(1)" x="', "{% for x in range(3) %}loop{% endfor %}"]

INIT_SCRIPT = """
(() => {
  window.__csp = [];
  const hit = (how) => function () { window.__xss = (window.__xss || '') + how + ';'; };
  window.alert = hit('alert'); window.confirm = hit('confirm');
  window.prompt = hit('prompt'); window.print = hit('print');
  document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
})();
"""

# Every element the templates use, the Markdown allowlist, and the server-drawn charts.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "body", "script", "header", "nav", "main", "footer", "article", "section",
    "div", "p", "span", "a", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em",
    "code", "pre", "kbd", "blockquote", "cite", "mark", "hr", "br", "wbr", "sub", "sup", "del", "ins", "time", "figure",
    "figcaption", "details", "summary", "table", "caption", "thead", "tbody", "tr", "th", "td", "form", "fieldset",
    "legend", "label", "input", "select", "option", "button", "progress", "meter", "svg", "line", "text", "tspan",
    "rect",
}

DOM_CHECK = """
(allowed) => {
  allowed = new Set(allowed);
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (!allowed.has(tag)) bad.push('<' + tag + '>');
    if (tag === 'script' && !/^\\/static\\/[a-z]+\\.js$/.test(el.getAttribute('src') || '')) bad.push('inline script');
    if (tag === 'link' && !/^\\/static\\//.test(el.getAttribute('href') || '')) bad.push('link ' + el.outerHTML);
    if (tag === 'meta' && el.hasAttribute('http-equiv')) bad.push('meta http-equiv');
    if (['svg', 'line', 'text', 'rect'].includes(tag) && !el.closest('.chart')) bad.push(tag + ' outside a chart');
    for (const a of el.attributes) {
      if (a.name.startsWith('on') || a.name === 'style' || a.name === 'srcdoc') bad.push(tag + ' ' + a.name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster'].includes(a.name)) {
        const url = a.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data):/.test(url)) bad.push(tag + ' ' + a.name + '=' + a.value);
      }
    }
  }
  return bad;
}
"""


def _inline(payload: str) -> str:
    return payload.replace("\n", " ")


def hostile_bank() -> str:
    """A bank file whose every text field is made of payloads; the source quotes stay real, so it loads."""
    block = "\n\n".join(PAYLOADS)  # each payload its own paragraph, so block syntax starts where it should
    inline = [_inline(p) for p in PAYLOADS]
    count = len(PAYLOADS)
    common = {"explanation": block, "source": QUOTE, "topic": CORE_TOPIC, "tags": inline, "difficulty": "recall"}
    choices = [{"text": text, "feedback": PAYLOADS[(i + 1) % count]} for i, text in enumerate(inline)]
    half = count // 2  # a question holds at most 50 choices or answers: the two choice questions share them out
    cloze = (block + "\n\nThe Mazhilis went from {{107}} to {{98|<script>alert(1)</script>}} deputies"
             " {{\"><img src=x onerror=alert(1)>}} " + " ".join(inline))
    core = [
        {"id": "choice", "type": "single_choice", "prompt": block, "choices": choices[:half], "answer": inline[0]},
        {"id": "responses", "type": "multiple_response", "prompt": block, "choices": choices[half:],
         "answers": inline[half:half + 2]},
        {"id": "true-false", "type": "true_false", "prompt": block, "answer": True},
        {"id": "numeric", "type": "numeric", "prompt": block, "answer": 98, "unit": inline[0],
         "unit_aliases": inline},
        {"id": "short", "type": "short_text", "prompt": block, "answers": inline[:half]},
        {"id": "cloze", "type": "cloze", "text": cloze},
        {"id": "card", "type": "flashcard", "front": block, "back": block},
    ]
    questions = [{**q, **common} for q in core]
    # One card per payload: a topic holds one payload whole, and each payload gets a front and back of its own.
    questions += [{"id": f"card-{i:03d}", "type": "flashcard", "front": p, "back": p, "explanation": p,
                   "source": QUOTE, "topic": inline[i], "tags": [inline[i]], "difficulty": "recall"}
                  for i, p in enumerate(PAYLOADS)]
    bank = {"id": BANK_ID, "title": BANK_TITLE, "description": block}
    return yaml.safe_dump({"bank": bank, "questions": questions}, allow_unicode=True, sort_keys=False, width=10**6)


@dataclass
class Watched:
    """A page whose dialogs, errors and requests are recorded, and whose every state can be checked."""

    page: object
    base: str
    with_csp: bool
    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser, base: str, with_csp: bool, storage_state=None, viewport=None) -> Watched:
        context = browser.new_context(viewport=viewport or {"width": 1000, "height": 800},
                                      bypass_csp=not with_csp, storage_state=storage_state)
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        watched = cls(page, base, with_csp)
        page.on("dialog", lambda d: (watched.problems.append(f"dialog {d.type}: {d.message}"), d.dismiss()))
        page.on("pageerror", lambda e: watched.problems.append(f"script error: {e}"))
        page.on("request", watched._request)
        page.on("response", watched._response)
        return watched

    def _request(self, request) -> None:
        if "__xss_beacon" in request.url or not request.url.startswith(self.base):
            self.problems.append(f"request for {request.url}")

    def _response(self, response) -> None:
        if response.request.resource_type != "document" or not self.with_csp:
            return
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy or "unsafe" in policy or "object-src 'none'" not in policy:
            self.problems.append(f"{response.url}: weak or missing Content-Security-Policy {policy!r}")

    def check(self, label: str = "", remember: bool = True) -> None:
        """Nothing ran, nothing was blocked, nothing foreign is in the DOM; remember the address to revisit."""
        page = self.page
        page.wait_for_load_state("load")
        page.wait_for_timeout(30)  # let focus, toggle and error events fire
        where = f"{label or page.url} ({'with' if self.with_csp else 'without'} CSP)"
        state = page.evaluate("() => ({xss: window.__xss || null, csp: window.__csp || []})")
        assert state["xss"] is None, f"a payload ran on {where}: {state['xss']}"
        assert state["csp"] == [], f"the CSP had to block something on {where}: {state['csp']}"
        bad = page.evaluate(DOM_CHECK, sorted(ALLOWED_TAGS))
        assert bad == [], f"unsafe markup on {where}: {bad[:10]}"
        assert self.problems == [], f"on {where}: {self.problems}"
        if remember and page.url not in self.visited:
            self.visited.append(page.url)

    def goto(self, path: str, label: str = "") -> None:
        self.page.goto(path if path.startswith("http") else self.base + path)
        self.check(label)

    def shows(self, selector: str, texts: list[str]) -> None:
        """The payloads are on the page as text: escaped, not silently dropped."""
        shown = " ".join(self.page.locator(selector).all_inner_texts())
        missing = [t for t in texts if t not in shown]
        assert not missing, f"{missing} not shown in {selector} on {self.page.url}"


def answer_question(w: Watched) -> None:
    """Answer whatever question is shown, typing payloads wherever there is text to type."""
    page = w.page
    form = page.locator("article.question form")
    radios, boxes = form.locator("input[type=radio]"), form.locator("input[type=checkbox]")
    if radios.count():
        radios.first.check()
    for index in range(min(boxes.count(), 2)):
        boxes.nth(index).check()
    for text_field in form.locator("input[type=text], input:not([type])").all():
        text_field.fill(TYPED)
    with page.expect_navigation():
        form.locator("input[type=submit], button[type=submit]").first.click()


def upload_and_publish(teacher: Watched) -> str:
    page = teacher.page
    teacher.goto("/banks/upload", "upload form")
    page.get_by_label("Bank file").set_input_files(
        files=[{"name": "hostile.yaml", "mimeType": "application/yaml", "buffer": hostile_bank().encode()}])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/banks/\d+/preview$"))
    teacher.check("preview")
    assert page.locator(".preview-item").count() == 7 + len(PAYLOADS)
    teacher.shows(".preview-item .prompt", VISIBLE)
    teacher.shows("h1", [BANK_TITLE])
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Publish").click()
    teacher.check("preview, published")
    return page.url


def test_no_payload_runs_on_any_page(module_browser, module_server):  # noqa: F811 - fixtures
    base = module_server.url
    teacher_email = module_server.add_user("teacher@example.org", "<img src=x onerror=alert(1)>Ms T", Role.INSTRUCTOR)
    student_email = module_server.add_user("pupil@example.org", "\"><script>window.__xss=1</script>Ada")
    admin_email = module_server.add_user("admin@example.org", "Admin <svg onload=alert(1)>", Role.ADMIN)

    teacher = Watched.open(module_browser, base, with_csp=False)
    log_in(teacher.page, base, teacher_email)
    preview_url = upload_and_publish(teacher)
    teacher.goto("/banks/mine", "my banks")

    # A class and an assignment with hostile names of their own.
    teacher.goto("/classes/", "classes")
    teacher.page.get_by_label("Class name").fill("Class <script>alert(1)</script>")
    teacher.page.get_by_role("button", name="Create class").click()
    teacher.check("class detail")
    class_url = teacher.page.url
    code = teacher.page.locator(".join-code .code").inner_text()
    teacher.page.get_by_role("link", name="Set an assignment").first.click()
    teacher.check("choose a bank")
    teacher.page.locator(".bank-choices a", has_text="Hostile bank").click()
    teacher.check("assignment form")
    teacher.page.get_by_label("Title", exact=True).fill("Assignment \"><img src=x onerror=alert(1)> {{7*7}}")
    teacher.page.get_by_role("button", name="Create assignment").click()
    teacher.page.wait_for_url(re.compile(r"/assignments/\d+$"))
    teacher.check("assignment detail")
    assignment_url = teacher.page.url

    student = Watched.open(module_browser, base, with_csp=False, viewport={"width": 390, "height": 844})
    log_in(student.page, base, student_email)
    student.check("home")
    student.shows(".bank .count ~ *", VISIBLE)  # the description
    student.goto("/classes/", "classes")
    student.page.get_by_label("Join code").fill(code)
    student.page.get_by_role("button", name=re.compile("Join")).click()
    student.page.wait_for_url(re.compile(r"/classes/\d+/work$"))
    student.check("student's class page")
    student.goto("/classes/", "classes, joined")
    student.page.get_by_role("button", name=re.compile("Start")).click()

    # The assignment: the six questions that are not flashcards, feedback after each.
    for _ in range(6):
        student.page.wait_for_url(re.compile(r"/q/\d+$"))
        student.check("assignment question")
        student.shows(".prompt", VISIBLE[:2])
        answer_question(student)
        student.check("assignment feedback")
        student.shows("#why ~ *", VISIBLE)
        with student.page.expect_navigation():
            student.page.locator(".next a").click()
    student.page.wait_for_url(re.compile(r"/hand-in$"))
    student.check("hand in")
    student.page.get_by_role("button", name=re.compile("Hand in")).click()
    student.page.wait_for_url(re.compile(r"/results$"))
    student.check("assignment results")

    # A practice quiz on the core topic: one question of each type, the flashcard with its self-grading.
    student.goto("/", "home")
    bank = student.page.locator("section.bank", has=student.page.get_by_role("heading", name=BANK_TITLE))
    bank.get_by_label("Topic").select_option(value=CORE_TOPIC)
    bank.get_by_label("Number of questions").fill("7")
    bank.get_by_role("button", name="Start quiz").click()
    kinds = set()
    for _ in range(7):
        student.page.wait_for_url(re.compile(r"/q/\d+$"))
        student.check("practice question")
        kinds.add(kind_of(student.page))
        answer_question(student)
        student.check("practice feedback")
        grade = student.page.get_by_role("button", name="I did not know it")
        with student.page.expect_navigation():
            (grade if grade.count() else student.page.locator(".next a")).click()
    assert len(kinds) == 7, kinds
    student.page.wait_for_url(re.compile(r"/results$"))
    student.check("practice results")

    # Study the bank: fronts and backs of cards of every type, and the queue's bank menu.
    student.goto("/study/", "study")
    bank_value = student.page.locator("#study-bank option", has_text="Hostile bank").get_attribute("value")
    student.goto(f"/study/?bank={bank_value}", "study this bank")
    kinds = set()
    for _ in range(7):  # the seven core questions come first: missed in the quizzes, or first in the file
        kinds.add(kind_of(student.page))
        answer_question(student)
        student.page.wait_for_url(re.compile(r"/study/\d+/answer$"))
        student.check("study back", remember=False)
        student.shows("#why ~ *", VISIBLE)
        student.page.locator(".rating-buttons button").last.click()
        student.page.wait_for_url(re.compile(r"/study/"))
        student.check("study front")
    assert len(kinds) == 7, kinds
    student.goto("/study/settings", "study settings")
    student.goto("/progress/", "progress")
    student.goto("/auth/tokens", "account")
    student.page.get_by_label("What the token is for").fill("<img src=x onerror=alert(1)> script")
    student.page.get_by_role("button", name=re.compile("token", re.I)).click()
    student.check("token made")

    # The instructor looks at the results: every page that shows the bank's fields or the student's answers.
    teacher.goto(class_url + "/gradebook", "gradebook")
    teacher.page.locator(".gradebook tbody th a").first.click()
    teacher.check("student work")
    teacher.page.locator("main li a").first.click()
    teacher.check("attempt detail")
    teacher.shows("table.results", [TYPED])  # what the student typed, as text
    teacher.goto(assignment_url, "assignment detail")
    teacher.page.get_by_role("link", name="Item statistics").click()
    teacher.check("item statistics")
    teacher.shows("table.typed-answers", [TYPED])  # the answers most often typed, as text
    items = [a.get_attribute("href") for a in teacher.page.locator(".item-stats h2 a").all()]
    assert len(items) == 6
    for href in items:
        teacher.goto(href, "item")
        teacher.shows(".explanation", VISIBLE)
    teacher.goto(class_url, "class detail with a student")
    teacher.goto(preview_url, "preview")

    admin = Watched.open(module_browser, base, with_csp=False)
    log_in(admin.page, base, admin_email)
    admin.goto("/admin/users", "users")
    admin.goto("/", "home as admin")

    # Every page again, now with the Content-Security-Policy in force.
    for walker in (teacher, student, admin):
        again = Watched.open(module_browser, base, with_csp=True, storage_state=walker.page.context.storage_state())
        for url in walker.visited:
            again.goto(url)
        again.page.context.close()
    visited = {re.sub(r"\d+", "N", u.removeprefix(base)) for w in (teacher, student, admin) for u in w.visited}
    assert len(visited) >= 24, " ".join(sorted(visited))
    for walker in (teacher, student, admin):
        walker.page.context.close()
