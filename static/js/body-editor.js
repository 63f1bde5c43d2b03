// The visual editor of post and page bodies (blog/editor.py: BodyEditorWidget).
//
// Turns each textarea[data-django-prose-editor-body] into a django-prose-editor
// (Tiptap) editor with a toolbar. The textarea stays in the form and holds the
// HTML after every change, with an "input" event, so the form posts it as
// before and other scripts (autosave, leave-page warning) can listen. Without
// JavaScript the textarea is simply shown. The server cleans whatever arrives.
import {
  Blockquote,
  Bold,
  BulletList,
  Code,
  CodeBlock,
  crel,
  Document,
  Dropcursor,
  Editor,
  Extension,
  Gapcursor,
  HardBreak,
  Heading,
  History,
  HorizontalRule,
  HTML,
  Image,
  Italic,
  initializeEditors,
  Link,
  ListItem,
  Menu,
  OrderedList,
  Paragraph,
  Text,
} from "django-prose-editor/editor"

const CONFIG_ATTRIBUTE = "data-django-prose-editor-body"

// Pasted HTML (Word, LibreOffice, Google Docs) is full of style="" attributes and
// <style> elements. Parsing them, even in an inert document, is an inline style the
// CSP refuses and reports, so they go before the browser parses anything; the
// two that mean something, bold and italic, are kept as data- attributes that
// the Bold and Italic rules below read. The schema then drops every other
// tag and attribute (classes, <o:p>, <font>, spans), and the server cleans again.
const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g
const STYLE_ATTRIBUTE = /\s+style\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)/gi

function styleMarks(attributes) {
  const css = [...attributes.matchAll(STYLE_ATTRIBUTE)].map((match) => match[1].toLowerCase()).join(";")
  const weight = css.match(/(?:^|[;"'\s])font-weight\s*:\s*(\w+)/)
  let marks = ""
  if (weight) marks += /^(bold|bolder|[6-9]00)$/.test(weight[1]) ? " data-paste-bold" : " data-paste-normal-weight"
  if (/(?:^|[;"'\s])font-style\s*:\s*italic/.test(css)) marks += " data-paste-italic"
  return marks
}

export function cleanPastedHTML(html) {
  return html.replace(/<style[\s\S]*?<\/style\s*>/gi, "").replace(TAG, (tag, name, attributes, slash) => {
    if (attributes.search(STYLE_ATTRIBUTE) === -1) return tag
    return `<${name}${attributes.replace(STYLE_ATTRIBUTE, "")}${styleMarks(attributes)}${slash ? " /" : ""}>`
  })
}

const PastedBold = Bold.extend({
  parseHTML() {
    return [
      { tag: "strong" },
      // Google Docs wraps a whole paste in <b style="font-weight:normal">.
      { tag: "b", getAttrs: (node) => !node.hasAttribute("data-paste-normal-weight") && null },
      { tag: "span[data-paste-bold]" },
    ]
  },
})

// The link dialog sends an empty title when none is typed: no title="" in the HTML.
const SiteLink = Link.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      title: { default: null, renderHTML: ({ title }) => (title ? { title } : {}) },
    }
  },
})

const PastedItalic = Italic.extend({
  parseHTML() {
    return [{ tag: "em" }, { tag: "i" }, { tag: "span[data-paste-italic]" }]
  },
})

// Only images the site can serve: pasted data: or file:// images are dropped.
const SiteImage = Image.extend({
  parseHTML() {
    return [{ tag: 'img[src^="/"]' }, { tag: 'img[src^="https://"]' }, { tag: 'img[src^="http://"]' }]
  },
})

function csrfToken(textarea) {
  // The CSRF cookie is HttpOnly: the token comes from the form the textarea is in.
  const input = textarea.form?.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

function errorList(id) {
  return crel("ul", { className: "body-editor-errors errorlist", id, role: "alert" })
}

function showErrors(list, messages) {
  list.replaceChildren(...(messages || []).map((message) => crel("li", { textContent: message })))
}

function imageDialog(editor, { url, token, labels }) {
  const prefix = `body-editor-image-${Math.random().toString(36).slice(2, 8)}`
  const file = crel("input", { type: "file", name: "file", id: `${prefix}-file`, accept: "image/*", required: true })
  const alt = crel("input", { type: "text", name: "alt", id: `${prefix}-alt`, required: true, maxLength: 300 })
  const errors = {
    file: errorList(`${prefix}-file-errors`),
    alt: errorList(`${prefix}-alt-errors`),
    form: errorList(`${prefix}-errors`),
  }
  file.setAttribute("aria-describedby", errors.file.id)
  alt.setAttribute("aria-describedby", `${prefix}-alt-help ${errors.alt.id}`)
  const submit = crel("button", { type: "submit", textContent: labels.upload })
  const cancel = crel("button", { type: "button", textContent: labels.cancel })
  const title = crel("h3", { className: "prose-editor-dialog-title", id: `${prefix}-title`, textContent: labels.insertImage })
  const form = crel("form", { noValidate: true }, [
    title,
    crel("div", { className: "prose-editor-dialog-field" }, [
      crel("label", { htmlFor: file.id, textContent: labels.file }),
      file,
      errors.file,
    ]),
    crel("div", { className: "prose-editor-dialog-field" }, [
      crel("label", { htmlFor: alt.id, textContent: labels.alt }),
      alt,
      crel("p", { className: "help", id: `${prefix}-alt-help`, textContent: labels.altHelp }),
      errors.alt,
    ]),
    errors.form,
    crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog body-editor-image-dialog" }, [form])
  dialog.setAttribute("aria-labelledby", title.id)

  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    showErrors(errors.file, file.files.length ? [] : [labels.fileRequired])
    showErrors(errors.alt, alt.value.trim() ? [] : [labels.altRequired])
    showErrors(errors.form, [])
    if (!file.files.length || !alt.value.trim()) return
    const body = new FormData()
    body.append("file", file.files[0])
    body.append("alt", alt.value.trim())
    form.setAttribute("aria-busy", "true")
    submit.disabled = true
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": token, Accept: "application/json" },
        credentials: "same-origin",
      })
      const data = await response.json().catch(() => ({}))
      if (response.status === 201 && data.url) {
        dialog.close()
        editor
          .chain()
          .focus()
          .setImage({ src: data.url, alt: data.alt ?? alt.value.trim(), width: data.width, height: data.height })
          .run()
        return
      }
      const fieldErrors = data.errors || {}
      showErrors(errors.file, fieldErrors.file)
      showErrors(errors.alt, fieldErrors.alt)
      const other = Object.entries(fieldErrors)
        .filter(([name]) => name !== "file" && name !== "alt")
        .flatMap(([, messages]) => messages)
      showErrors(errors.form, other.length || !(fieldErrors.file || fieldErrors.alt) ? [...other, labels.failed] : [])
    } catch {
      showErrors(errors.form, [labels.failed])
    } finally {
      form.removeAttribute("aria-busy")
      submit.disabled = false
    }
  })

  editor.view.dom.parentElement.append(dialog)
  dialog.showModal()
  file.focus()
}

// The toolbar's "Insert image" button, when the site has an upload endpoint.
const InsertImage = Extension.create({
  name: "insertImage",
  addOptions() {
    return { url: "", token: "", labels: {} }
  },
  addMenuItems({ menu, buttons }) {
    const options = this.options
    menu.defineItem({
      name: "insertImage",
      groups: "nodes",
      button: buttons.material("add_photo_alternate", options.labels.insertImage),
      command(editor) {
        imageDialog(editor, options)
      },
      enabled(editor) {
        return editor.can().setImage({ src: "/" })
      },
    })
  },
})

// The editable area speaks for the textarea it hides: its label and its help text.
function accessibleName(textarea) {
  const label = textarea.id && document.querySelector(`label[for="${textarea.id}"]`)
  const attributes = { role: "textbox", "aria-multiline": "true" }
  if (label) attributes["aria-label"] = label.textContent.replace(/:\s*$/, "").trim()
  if (textarea.getAttribute("aria-describedby")) attributes["aria-describedby"] = textarea.getAttribute("aria-describedby")
  return attributes
}

function createBodyEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null
  const config = JSON.parse(textarea.getAttribute(CONFIG_ATTRIBUTE) || "{}")
  const labels = config.labels || {}
  const uploadUrl = textarea.dataset.imageUploadUrl
  const element = crel("div", { className: "prose-editor" })
  textarea.before(element)
  element.append(textarea)

  let changed = false
  const editor = new Editor({
    element,
    // Tiptap would add its base CSS as a <style> element, which the CSP forbids:
    // static/css/body-editor.css carries it.
    injectCSS: false,
    editorProps: { transformPastedHTML: cleanPastedHTML, attributes: accessibleName(textarea) },
    // A form shown again after an error holds what was sent, styles included.
    content: cleanPastedHTML(textarea.value),
    extensions: [
      Document,
      Paragraph,
      Text,
      HardBreak,
      Heading.configure({ levels: config.headingLevels || [2, 3, 4] }),
      PastedBold,
      PastedItalic,
      Code,
      SiteLink.configure({ enableTarget: false }),
      BulletList,
      OrderedList,
      ListItem,
      Blockquote,
      CodeBlock,
      HorizontalRule,
      SiteImage,
      History,
      Dropcursor,
      Gapcursor,
      HTML,
      Menu,
      uploadUrl && InsertImage.configure({ url: uploadUrl, token: csrfToken(textarea), labels }),
    ].filter(Boolean),
    onUpdate({ editor }) {
      // ProseMirror's empty document is "<p></p>": store it as an empty body.
      // The empty paragraph the editor keeps after a rule or an image, for the cursor, is not stored.
      const html = editor.getHTML().replace(/(<p><\/p>)+$/, "")
      textarea.value = editor.isEmpty ? "" : html
      textarea.dispatchEvent(new Event("input", { bubbles: true }))
      changed = true
    },
    onBlur() {
      // As a textarea does: "change" once the typing is done.
      if (changed) textarea.dispatchEvent(new Event("change", { bubbles: true }))
      changed = false
    },
  })
  textarea.dispatchEvent(new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }))
  return editor
}

initializeEditors(createBodyEditor, `[${CONFIG_ATTRIBUTE}]`)
