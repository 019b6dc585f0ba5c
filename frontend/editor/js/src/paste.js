// Cleans HTML pasted from Word, LibreOffice and Google Docs before TipTap
// parses it: the structure stays (headings, nested numbered and bulleted
// lists, tables, bold, italic, links), the styling goes (mso-* styles,
// classes, fonts, conditional comments, empty spans).
//
// Word does not write lists as lists: each item is a paragraph of class
// MsoListParagraph* whose style says `mso-list:l0 level2 lfo1`, with the
// marker ("1.", "a)", "·", "o", "§") written out in a span styled
// `mso-list:Ignore`. Those paragraphs become real nested <ol>/<ul> here.
// Google Docs marks bold and italic with styles on spans, which become
// <strong>/<em> before the styles are dropped.

const ORDERED_MARKER = /^\(?([0-9]+|[a-z]|[ivxlcdm]+)[.)]$/i;

function listInfo(p) {
  const style = p.getAttribute("style") || "";
  const match = /mso-list:\s*l(\d+)\s+level(\d+)/i.exec(style);
  if (!match && !/MsoListParagraph/i.test(p.className || "")) return null;
  let marker = "";
  for (const span of p.querySelectorAll("span")) {
    if (/mso-list:\s*Ignore/i.test(span.getAttribute("style") || "")) {
      marker = span.textContent.replace(/\u00a0/g, " ").trim();
      span.remove();
    }
  }
  // Word 2016+ can also write the marker in a conditional comment block,
  // which the comment removal below has already taken out.
  return {
    list: match ? match[1] : "0",
    level: match ? Number(match[2]) : 1,
    ordered: ORDERED_MARKER.test(marker),
  };
}

/** Turns runs of Word list paragraphs into nested lists. */
function rebuildWordLists(root) {
  const paragraphs = [...root.querySelectorAll("p")];
  const placeholders = [];
  let stack = []; // [{ level, element }]
  let previous = null;
  for (const p of paragraphs) {
    const info = listInfo(p);
    if (!info) {
      stack = [];
      previous = null;
      continue;
    }
    // A paragraph elsewhere, or another of Word's lists, starts afresh.
    if (previous && previous.nextElementSibling !== p) stack = [];
    if (stack.length && stack[0].list !== info.list) stack = [];
    const li = p.ownerDocument.createElement("li");
    li.innerHTML = p.innerHTML;
    while (stack.length && stack[stack.length - 1].level > info.level) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.level < info.level) {
      const list = p.ownerDocument.createElement(info.ordered ? "ol" : "ul");
      if (top) {
        const parentItem = top.element.lastElementChild || top.element.appendChild(p.ownerDocument.createElement("li"));
        parentItem.appendChild(list);
      } else {
        p.parentNode.insertBefore(list, p);
      }
      top = { level: info.level, element: list, list: info.list };
      stack.push(top);
    }
    top.element.appendChild(li);
    previous = p;
    // The paragraph's place is taken by the list; keep a marker to check
    // adjacency of the next one.
    const placeholder = p.ownerDocument.createComment("list");
    p.replaceWith(placeholder);
    placeholders.push(placeholder);
    previous = placeholder;
  }
  for (const placeholder of placeholders) placeholder.remove();
}

function styleOf(el) {
  return (el.getAttribute("style") || "").toLowerCase();
}

/** Google Docs: <span style="font-weight:700">, <span style="font-style:italic">. */
function stylesToTags(root) {
  for (const span of [...root.querySelectorAll("span")]) {
    const style = styleOf(span);
    let inner = span;
    const wrap = (tag) => {
      const el = span.ownerDocument.createElement(tag);
      while (inner.firstChild) el.appendChild(inner.firstChild);
      inner.appendChild(el);
      inner = el;
    };
    // Anchored at a declaration's start: Word's `mso-bidi-font-weight` is
    // not the weight.
    if (/(?:^|;)\s*font-weight:\s*(bold|[6-9]00)/.test(style)) wrap("strong");
    if (/(?:^|;)\s*font-style:\s*italic/.test(style)) wrap("em");
    if (/(?:^|;)\s*text-decoration[^;]*underline/.test(style)) wrap("u");
  }
  // Docs wraps a whole paste in <b style="font-weight:normal" id="docs-internal-guid-…">.
  for (const b of [...root.querySelectorAll("b")]) {
    if (/(?:^|;)\s*font-weight:\s*normal/.test(styleOf(b))) b.replaceWith(...b.childNodes);
  }
}

function removeComments(root) {
  const walker = root.ownerDocument.createTreeWalker(root, 128 /* SHOW_COMMENT */);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.remove();
}

const DROP = "style, meta, link, script, xml, title, o\\:p, v\\:shapetype, v\\:shape, w\\:sdt";

/** The cleaned HTML. Pure string in, string out. */
export function cleanPastedHtml(html) {
  // Word's conditional comments (<!--[if gte mso 9]>…<![endif]-->) hold
  // XML and VML: dropped whole. Its downlevel-revealed ones
  // (<![if !supportLists]>) hold the list markers and are kept: the
  // parser turns their brackets into comments, removed below.
  const withoutConditionals = html.replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "");
  const doc = new DOMParser().parseFromString(withoutConditionals, "text/html");
  const root = doc.body;
  for (const el of [...root.querySelectorAll(DROP)]) el.remove();
  for (const el of [...root.getElementsByTagName("*")]) {
    if (el.tagName.includes(":")) el.replaceWith(...el.childNodes);
  }
  rebuildWordLists(root);
  removeComments(root);
  stylesToTags(root);
  for (const el of root.querySelectorAll("*")) {
    for (const name of [...el.getAttributeNames()]) {
      const keep =
        (el.tagName === "A" && name === "href") ||
        (el.tagName === "IMG" && ["src", "alt", "width", "height"].includes(name)) ||
        ((el.tagName === "TD" || el.tagName === "TH") && ["colspan", "rowspan"].includes(name));
      if (!keep) el.removeAttribute(name);
    }
  }
  // Spans and fonts that carried only styling are unwrapped; empty ones go.
  for (const el of [...root.querySelectorAll("span, font")]) el.replaceWith(...el.childNodes);
  for (const p of [...root.querySelectorAll("p")]) {
    if (!p.textContent.replace(/\u00a0/g, " ").trim() && !p.querySelector("img")) p.remove();
  }
  return root.innerHTML;
}
