//! The few DOM helpers the views need. Text always goes in with `set_text_content`, never as
//! HTML: names and ids come from the server.

use web_sys::{Document, Element};

fn document() -> Document {
    // The module only runs in a page (`start` checked the window).
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A new, empty view in `<main id="view">`, replacing whatever was shown.
pub fn fresh_view() -> Element {
    let root = el("div", "");
    if let Some(main) = document().get_element_by_id("view") {
        main.replace_children_with_node_1(&root);
    }
    root
}

/// `<tag class="class">`.
pub fn el(tag: &str, class: &str) -> Element {
    let e = document().create_element(tag).expect("a valid tag name");
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

/// `<tag class="class">text</tag>`, appended to `parent`.
pub fn add(parent: &Element, tag: &str, class: &str, text: &str) -> Element {
    let e = el(tag, class);
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    let _ = parent.append_child(&e);
    e
}

/// Sets an attribute (the names used here are all valid).
pub fn set(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// A link to `#/customers/{id}` (`id` percent-encoded), or to the list for an empty id.
pub fn customer_link(parent: &Element, id: &str, text: &str) -> Element {
    let a = add(parent, "a", "", text);
    let href = match id {
        "" => "#/customers".to_string(),
        id => format!("#/customers/{}", js_sys::encode_uri_component(id)),
    };
    set(&a, "href", &href);
    a
}

/// A row of a table body, one plain-text cell per item.
pub fn row(tbody: &Element, cells: &[&str]) -> Element {
    let tr = add(tbody, "tr", "", "");
    for text in cells {
        add(&tr, "td", "", text);
    }
    tr
}

/// `<table>` with a header row, inside `parent`; returns its `<tbody>`.
pub fn table(parent: &Element, class: &str, headers: &[&str]) -> Element {
    let wrap = add(parent, "div", "table-wrap", "");
    let table = add(&wrap, "table", class, "");
    let head = add(&add(&table, "thead", "", ""), "tr", "", "");
    for h in headers {
        add(&head, "th", "", h);
    }
    add(&table, "tbody", "", "")
}

/// A `.notice.error` with the error's one readable line, `section` marked as failed.
pub fn show_error(section: &Element, err: &lago_wasm::Error) {
    let p = add(section, "p", "notice error", &err.to_string());
    set(&p, "role", "alert");
    set(section, "data-state", "error");
}
