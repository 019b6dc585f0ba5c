// The editors' rich-text editor: TipTap 3 (ProseMirror), with headings,
// bold, italic, underline, nested lists, links, quotes, tables, figures with
// captions, undo/redo and the usual shortcuts. The Rust app drives it
// through the functions exported here (see frontend/editor/src/tiptap.rs).

import { Editor, Node, mergeAttributes } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { TableKit } from "@tiptap/extension-table";
import { cleanPastedHtml } from "./paste.js";

/** A picture with its text alternative and an optional caption. */
const Figure = Node.create({
  name: "figure",
  group: "block",
  content: "inline*",
  draggable: true,
  isolating: true,
  addAttributes() {
    return {
      src: { default: null },
      alt: { default: "" },
      width: { default: null },
      height: { default: null },
    };
  },
  parseHTML() {
    return [
      {
        tag: "figure",
        contentElement: "figcaption",
        getAttrs: (node) => {
          const img = node.querySelector("img");
          if (!img) return false;
          return {
            src: img.getAttribute("src"),
            alt: img.getAttribute("alt") || "",
            width: img.getAttribute("width"),
            height: img.getAttribute("height"),
          };
        },
      },
      {
        tag: "img[src]",
        getAttrs: (img) => ({
          src: img.getAttribute("src"),
          alt: img.getAttribute("alt") || "",
          width: img.getAttribute("width"),
          height: img.getAttribute("height"),
        }),
      },
    ];
  },
  renderHTML({ node }) {
    const { src, alt, width, height } = node.attrs;
    const img = ["img", mergeAttributes({ src, alt, loading: "lazy" }, width ? { width } : {}, height ? { height } : {})];
    return ["figure", {}, img, ["figcaption", 0]];
  },
  addCommands() {
    return {
      // After the block the cursor is in (never inside another figure's
      // caption, which would replace that figure), followed by an empty
      // paragraph that takes the cursor, so typing goes on below the picture.
      insertFigure:
        (attrs) =>
        ({ state, commands }) => {
          const { $from } = state.selection;
          const at = $from.depth > 0 ? $from.after(1) : state.selection.from;
          const caption = attrs.caption ? [{ type: "text", text: attrs.caption }] : [];
          return commands.insertContentAt(at, [
            { type: this.name, attrs, content: caption },
            { type: "paragraph" },
          ]);
        },
      // Sets the text alternative of the picture the cursor is in or on.
      setFigureAlt:
        (alt) =>
        ({ commands }) =>
          commands.updateAttributes(this.name, { alt }),
    };
  },
});

/**
 * Creates an editor in `element` with `html`; `onChange()` is called after
 * every change of the document. `label` names the text box for screen
 * readers (an article's body when left out).
 */
export function createEditor(element, html, onChange, label) {
  return new Editor({
    element,
    content: html,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        link: { openOnClick: false, autolink: true, protocols: ["http", "https", "mailto", "tel"] },
        codeBlock: false,
        code: false,
      }),
      TableKit.configure({ table: { resizable: false } }),
      Figure,
    ],
    editorProps: {
      transformPastedHTML: cleanPastedHtml,
      attributes: { class: "rich-text", "aria-label": label || "Nội dung bài viết", "aria-multiline": "true", role: "textbox" },
    },
    onUpdate: () => onChange(),
  });
}

export function getHtml(editor) {
  return editor.getHTML();
}

export function setHtml(editor, html) {
  editor.commands.setContent(html, { emitUpdate: false });
}

export function setEditable(editor, editable) {
  editor.setEditable(editable, false);
}

export function destroy(editor) {
  editor.destroy();
}

export function focus(editor) {
  editor.commands.focus();
}

/** Runs a toolbar command by name; returns whether it applied. */
export function run(editor, name, arg) {
  const chain = editor.chain().focus();
  switch (name) {
    case "bold": return chain.toggleBold().run();
    case "italic": return chain.toggleItalic().run();
    case "underline": return chain.toggleUnderline().run();
    case "paragraph": return chain.setParagraph().run();
    case "heading": return chain.toggleHeading({ level: Number(arg) || 2 }).run();
    case "bulletList": return chain.toggleBulletList().run();
    case "orderedList": return chain.toggleOrderedList().run();
    case "indent": return chain.sinkListItem("listItem").run();
    case "outdent": return chain.liftListItem("listItem").run();
    case "blockquote": return chain.toggleBlockquote().run();
    case "link":
      return arg ? chain.extendMarkRange("link").setLink({ href: arg }).run() : chain.extendMarkRange("link").unsetLink().run();
    case "table": return chain.insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run();
    case "addRow": return chain.addRowAfter().run();
    case "addColumn": return chain.addColumnAfter().run();
    case "deleteRow": return chain.deleteRow().run();
    case "deleteColumn": return chain.deleteColumn().run();
    case "deleteTable": return chain.deleteTable().run();
    case "figureAlt": return chain.setFigureAlt(arg).run();
    case "figure": {
      const { src, alt, caption, width, height } = JSON.parse(arg);
      return chain.insertFigure({ src, alt, caption, width: width ?? null, height: height ?? null }).run();
    }
    case "undo": return chain.undo().run();
    case "redo": return chain.redo().run();
    default: return false;
  }
}

/** Whether the selection is in `name` (bold, heading…), for the toolbar's pressed state. */
export function isActive(editor, name, level) {
  return name === "heading" ? editor.isActive("heading", { level: Number(level) }) : editor.isActive(name);
}

export { cleanPastedHtml };
