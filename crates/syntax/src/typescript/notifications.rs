//! `frontend_notifications`: toast and notification calls, stores, helper
//! functions and components.

use recon_findings::{FrontendNotification, FrontendNotificationKind};
use tree_sitter::{Node, Query, QueryMatch};

use super::text::{last_segment, text, unparenthesize};
use super::{Document, capture, node};
use crate::collect::WithColumn;

/// The words of a notification name; every match of the rule holds one
/// (a call, store, helper or component is named with it), so they are the
/// prefilter's literals too.
pub(super) const LITERALS: &[&str] = &["toast", "notif", "alert"];

/// Whether a name is a notification name: lower-cased, it contains `toast`,
/// `notif` or `alert`.
pub fn is_notification_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    LITERALS.iter().any(|w| lower.contains(w))
}

/// Callees that create a store.
const STORE_FACTORIES: &[&str] = &["writable", "readable", "derived", "$state"];

pub(super) struct Captures {
    call: u32,
    callee: u32,
    declarator: u32,
    name: u32,
    value: u32,
    function: u32,
    function_name: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            call: capture(query, "notify.call")?,
            callee: capture(query, "notify.callee")?,
            declarator: capture(query, "notify.declarator")?,
            name: capture(query, "notify.name")?,
            value: capture(query, "notify.value")?,
            function: capture(query, "notify.function")?,
            function_name: capture(query, "notify.function_name")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Call {
        call: Node<'t>,
        callee: Node<'t>,
    },
    Declarator {
        declarator: Node<'t>,
        name: Node<'t>,
        value: Node<'t>,
    },
    Function {
        function: Node<'t>,
        name: Node<'t>,
    },
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>) -> Option<Raw<'t>> {
    if let Some(call) = node(m, caps.call) {
        return Some(Raw::Call {
            call,
            callee: node(m, caps.callee)?,
        });
    }
    if let Some(declarator) = node(m, caps.declarator) {
        return Some(Raw::Declarator {
            declarator,
            name: node(m, caps.name)?,
            value: node(m, caps.value)?,
        });
    }
    Some(Raw::Function {
        function: node(m, caps.function)?,
        name: node(m, caps.function_name)?,
    })
}

pub(super) fn extract(
    raws: &[Raw<'_>],
    ctx: &Document<'_>,
) -> Vec<WithColumn<FrontendNotification>> {
    raws.iter()
        .filter_map(|raw| {
            let (at, kind, name) = match raw {
                Raw::Call { call, callee } => {
                    if !is_notification_callee(*callee, ctx.src) {
                        return None;
                    }
                    let name: String = text(*callee, ctx.src)
                        .chars()
                        .filter(|c| !c.is_ascii_whitespace())
                        .collect();
                    (*call, FrontendNotificationKind::Call, name)
                }
                Raw::Declarator {
                    declarator,
                    name,
                    value,
                } => {
                    let name_text = text(*name, ctx.src);
                    if !is_notification_name(name_text) {
                        return None;
                    }
                    let value = unparenthesize(*value);
                    let kind = match value.kind() {
                        "arrow_function" | "function_expression" | "function" => {
                            FrontendNotificationKind::Function
                        }
                        "call_expression" => {
                            let factory = value
                                .child_by_field_name("function")
                                .and_then(|f| last_segment(f, ctx.src));
                            if !factory.is_some_and(|f| STORE_FACTORIES.contains(&f)) {
                                return None;
                            }
                            FrontendNotificationKind::Store
                        }
                        _ => return None,
                    };
                    (*declarator, kind, name_text.to_owned())
                }
                Raw::Function { function, name } => {
                    let name_text = text(*name, ctx.src);
                    if !is_notification_name(name_text) {
                        return None;
                    }
                    (
                        *function,
                        FrontendNotificationKind::Function,
                        name_text.to_owned(),
                    )
                }
            };
            let (line, column) = ctx.at(at);
            Some((
                column,
                FrontendNotification {
                    file: ctx.file.to_owned(),
                    line,
                    kind,
                    name,
                },
            ))
        })
        .collect()
}

/// `notify(...)`, `window.alert(...)`, `toast.success(...)`: an identifier
/// with a notification name, a member expression whose property has one, or
/// whose object is an identifier with one that does not start with `$`.
fn is_notification_callee(callee: Node<'_>, src: &str) -> bool {
    match callee.kind() {
        "identifier" => is_notification_name(text(callee, src)),
        "member_expression" => {
            if last_segment(callee, src).is_some_and(is_notification_name) {
                return true;
            }
            callee.child_by_field_name("object").is_some_and(|o| {
                let name = text(o, src);
                o.kind() == "identifier" && !name.starts_with('$') && is_notification_name(name)
            })
        }
        _ => false,
    }
}

/// Components of a `.svelte` template with a notification name (`<Toast>`,
/// `<NotificationCenter />`): tags that start with an ASCII capital.
pub(super) fn components(
    tags: &[(usize, usize, &str)],
    file: &str,
) -> Vec<WithColumn<FrontendNotification>> {
    tags.iter()
        .filter(|(_, _, name)| {
            name.starts_with(|c: char| c.is_ascii_uppercase()) && is_notification_name(name)
        })
        .map(|(line, column, name)| {
            (
                *column,
                FrontendNotification {
                    file: file.to_owned(),
                    line: *line,
                    kind: FrontendNotificationKind::Component,
                    name: (*name).to_owned(),
                },
            )
        })
        .collect()
}
