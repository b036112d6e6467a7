#!/bin/bash
# SPDX-License-Identifier: MIT
# report --format html opened in real headless Chromium: the findings (rule
# ids, summaries) and the SVG charts are in the DOM, hostile process and
# host names stay text, nothing external is referenced, and it prints.
. "$TESTS_DIR/lib.sh"

command -v chromium >/dev/null || skip "chromium is not installed (packaging/deps.sh test)"
command -v python3 >/dev/null || skip "python3 is needed to read the DOM"

chrome() {
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --user-data-dir="$TMP/chrome" "$@" 2>>"$TMP/chrome.log"
}

# Live facts with rates: TIME_WAIT toward two ports, CLOSE_WAIT, a full
# accept queue; sampled three times.
sockgen --tw 300:20000,20001 --close-wait 7:20010 --overflow 20013:2:8
run_tw 0 inspect --samples 3 --interval 0.3 --format json -o "$TMP/live.facts.json"

# The same host with hostile names: a hostname and a CLOSE_WAIT owner that
# are markup.
python3 - "$TMP/live.facts.json" "$TMP/hostile.facts.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["host"]["hostname"] = "<img src=x onerror=alert(1)>host&1"
d["close_wait_owners"][0]["comm"] = "<script>bad()</script>"
json.dump(d, open(sys.argv[2], "w"))
EOF

P=(--profile "$FIXTURES/report/profile.yaml")
for name in live hostile; do
	# -o FILE.html picks the format
	run_tw 0 report --facts "$TMP/$name.facts.json" "${P[@]}" -o "$TMP/$name.html"
	run_tw 0 report --facts "$TMP/$name.facts.json" "${P[@]}" --format json -o "$TMP/$name.json"
	head -c 15 "$TMP/$name.html" | grep -q '<!DOCTYPE html>' || fail "$name: -o .html did not write HTML"
	chrome --dump-dom "file://$TMP/$name.html" >"$TMP/$name.dom" ||
		fail "$name: chromium --dump-dom failed: $(tail -n 5 "$TMP/chrome.log")"
	[ -s "$TMP/$name.dom" ] || fail "$name: empty DOM"
	python3 - "$TMP/$name.html" "$TMP/$name.dom" "$TMP/$name.json" "$name" <<'EOF' || fail "$name: DOM check failed"
import json, re, sys
from html.parser import HTMLParser

src_file, dom_file, report_file, name = sys.argv[1:5]
report = json.load(open(report_file))
LOADERS = {"src", "href", "xlink:href", "srcset", "action", "formaction", "data", "poster", "background"}
BANNED = {"script", "img", "iframe", "link", "object", "embed", "frame", "audio", "video", "source", "base", "form", "input"}

class Doc(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.stack, self.by_class, self.ids = [], [], [], {}, set()
        self.style = ""
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        for k, v in attrs:
            if k in LOADERS or k.startswith("on"):
                sys.exit("%s: <%s %s=%r> loads or runs something" % (name, tag, k, v))
        if tag in BANNED:
            sys.exit("%s: <%s> element present" % (name, tag))
        if "id" in a:
            self.ids.add(a["id"])
        self.stack.append((tag, a.get("class", "")))
    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()
    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1][0] == "style":
            self.style += data
        for tag, cls in self.stack:
            for c in cls.split():
                self.by_class.setdefault(c, []).append(data)

for label, path in (("file", src_file), ("DOM", dom_file)):
    doc = Doc()
    doc.feed(open(path, encoding="utf-8").read())
    text = " ".join(" ".join(doc.text).split())
    if "url(" in doc.style or "@import" in doc.style or "@font-face" in doc.style:
        sys.exit("%s %s: the stylesheet fetches something" % (name, label))
    if re.search(r"https?://", open(path, encoding="utf-8").read()):
        sys.exit("%s %s: a URL in the document" % (name, label))
    findings = report["findings"]["findings"]
    if not findings:
        sys.exit("%s: the report has no findings to look for" % name)
    rules = set(" ".join(doc.by_class.get("rule", [])).split())
    for f in findings:
        if f["rule"] not in rules:
            sys.exit("%s %s: rule %s not in the findings table" % (name, label, f["rule"]))
        if " ".join(f["summary"].split()) not in text:
            sys.exit("%s %s: summary of %s missing: %s" % (name, label, f["rule"], f["summary"]))
    if doc.tags.count("svg") < 3:
        sys.exit("%s %s: %d svg elements, want 3" % (name, label, doc.tags.count("svg")))
    for chart in ("chart-states", "chart-ports", "chart-rates"):
        if chart not in doc.ids:
            sys.exit("%s %s: no #%s" % (name, label, chart))
    for need in ("rect", "polyline", "line", "title"):
        if need not in doc.tags:
            sys.exit("%s %s: no <%s> in the charts" % (name, label, need))
    if report["host"]["hostname"] not in text:
        sys.exit("%s %s: hostname %r not shown as text" % (name, label, report["host"]["hostname"]))
    if name == "hostile" and "<script>bad()</script>" not in text:
        sys.exit("%s %s: the hostile owner name is not shown as text" % (name, label))
    if "viewport" not in open(src_file).read() or "@media print" not in open(src_file).read():
        sys.exit("%s: no viewport meta or print stylesheet" % name)
print("ok", name)
EOF
done

# Printable: Chromium prints it to PDF.
chrome --print-to-pdf="$TMP/live.pdf" --no-pdf-header-footer "file://$TMP/live.html" >/dev/null ||
	fail "chromium --print-to-pdf failed: $(tail -n 5 "$TMP/chrome.log")"
head -c 5 "$TMP/live.pdf" | grep -q '%PDF-' || fail "no PDF written"
[ "$(stat -c %s "$TMP/live.pdf")" -gt 10000 ] || fail "PDF suspiciously small"
pass_msg "html report in chromium"
