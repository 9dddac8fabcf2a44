//! Windows event XML flattened into columns: an EVTX record as the `evtx` crate
//! renders it, or the `EventData` of a Sentinel `Event` row.
//!
//! - every `<Data Name="N">v</Data>` becomes column `N` (unnamed `Data`
//!   elements become `Data1`, `Data2`, ... in order);
//! - each leaf child of `<System>` becomes a column of its name (`EventID`,
//!   `Channel`, `Computer`, `EventRecordID`, ...), and each of its attributes
//!   a column of the element's and the attribute's names (`ProviderName`,
//!   `ProviderGuid`, `ExecutionProcessID`), except `TimeCreated`'s
//!   `SystemTime`, which is column `TimeCreated`;
//! - each leaf element under `<UserData>` becomes a column of its name, and
//!   `<Binary>` under `<EventData>` column `Binary`.
//!
//! The XML is attacker-influenced: a document type declaration is refused, only
//! the five predefined entities and character references are expanded, and
//! nesting is bounded. The caller bounds the document's size.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::error::Rejected;
use super::row::RowBuilder;

/// The deepest element nesting read (event XML nests four or five deep).
const MAX_DEPTH: usize = 32;

/// Where an element sits, which decides what it contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Other,
    /// A child of `<System>`.
    System,
    /// Anywhere under `<UserData>`.
    UserData,
    /// A child of `<EventData>`.
    EventData,
}

#[derive(Debug)]
struct Frame {
    name: String,
    scope: Scope,
    /// A `Data` element's `Name`.
    data_name: Option<String>,
    has_child: bool,
}

/// Add the columns of event XML of at most `max` bytes to `row`; `what` names
/// the XML in the rejection if it does not read.
pub(crate) fn read_into(
    xml: &str,
    max: usize,
    what: &'static str,
    row: &mut RowBuilder,
) -> Result<(), Rejected> {
    let reason = if xml.len() > max {
        format!("{} bytes, longer than the {max}-byte limit", xml.len())
    } else {
        match flatten(xml, row) {
            Ok(()) => return Ok(()),
            Err(reason) => reason,
        }
    };
    Err(Rejected::Xml { what, reason })
}

/// Add the columns of event XML to `row`. The error says why the XML does not
/// read; columns added before it are left in `row`.
fn flatten(xml: &str, row: &mut RowBuilder) -> Result<(), String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Frame> = Vec::new();
    // The text of the innermost open element.
    let mut text = String::new();
    let mut unnamed = 0usize;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
                let frame = open(&reader, &e, &mut stack, row)?;
                stack.push(frame);
                text.clear();
            }
            Event::Empty(e) => {
                let frame = open(&reader, &e, &mut stack, row)?;
                close(frame, "", row, &mut unnamed);
            }
            Event::End(_) => {
                // The reader checks that end tags match their start tags.
                if let Some(frame) = stack.pop() {
                    close(frame, &text, row, &mut unnamed);
                }
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().map_err(|e| e.to_string())?),
            Event::CData(t) => text.push_str(&t.decode().map_err(|e| e.to_string())?),
            Event::GeneralRef(r) => match r.resolve_char_ref().map_err(|e| e.to_string())? {
                Some(c) => text.push(c),
                None => {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    let value = resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("undeclared entity `&{name};`"))?;
                    text.push_str(value);
                }
            },
            Event::DocType(_) => return Err("a document type declaration is not read".into()),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    match stack.last() {
        Some(f) => Err(format!("element `{}` is not closed", f.name)),
        None => Ok(()),
    }
}

/// Enter an element: its frame, and the columns its attributes give.
fn open(
    reader: &Reader<&[u8]>,
    e: &BytesStart<'_>,
    stack: &mut [Frame],
    row: &mut RowBuilder,
) -> Result<Frame, String> {
    let local_name = e.local_name();
    let name = local(local_name.as_ref())?;
    let scope = match stack.last_mut() {
        None => Scope::Other,
        Some(parent) => {
            parent.has_child = true;
            match (parent.name.as_str(), parent.scope) {
                ("System", _) => Scope::System,
                ("EventData", _) => Scope::EventData,
                ("UserData", _) | (_, Scope::UserData) => Scope::UserData,
                _ => Scope::Other,
            }
        }
    };
    let mut data_name = None;
    for attr in e.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key_name = attr.key.local_name();
        let key = local(key_name.as_ref())?;
        let value = attr
            .decode_and_unescape_value(reader.decoder())
            .map_err(|e| e.to_string())?;
        if name == "Data" && key == "Name" {
            data_name = Some(value.into_owned());
        } else if scope == Scope::System {
            if name == "TimeCreated" && key == "SystemTime" {
                row.push("TimeCreated", &value);
            } else {
                row.push(&format!("{name}{key}"), &value);
            }
        }
    }
    Ok(Frame {
        name: name.to_owned(),
        scope,
        data_name,
        has_child: false,
    })
}

/// Leave an element whose text is `text`: the column it gives, if any.
fn close(frame: Frame, text: &str, row: &mut RowBuilder, unnamed: &mut usize) {
    if frame.name == "Data" {
        match &frame.data_name {
            Some(n) => row.push(n, text),
            None => {
                *unnamed += 1;
                row.push(&format!("Data{unnamed}"), text);
            }
        }
    } else if !frame.has_child
        && (matches!(frame.scope, Scope::System | Scope::UserData)
            || (frame.scope == Scope::EventData && frame.name == "Binary"))
    {
        row.push(&frame.name, text);
    }
}

fn local(name: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(name).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(xml: &str) -> Result<Vec<(String, String)>, String> {
        let mut b = RowBuilder::default();
        flatten(xml, &mut b)?;
        Ok(b.finish()
            .iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect())
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_evtx_record_flattens_system_and_event_data() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"/>
    <EventID Qualifiers="">22</EventID>
    <TimeCreated SystemTime="2026-05-21T10:00:00.000000Z"/>
    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>
    <Computer>ws1.corp.local</Computer>
    <Security UserID="S-1-5-18"/>
  </System>
  <EventData>
    <Data Name="QueryName">estaliax.io</Data>
    <Data Name="Image">C:\Users\a\x &amp; y.exe</Data>
    <Data Name="Empty"></Data>
    <Data Name="Q"><![CDATA[<raw>]]>&#65;</Data>
  </EventData>
</Event>"#;
        assert_eq!(
            columns(xml).unwrap(),
            pairs(&[
                ("ProviderName", "Microsoft-Windows-Sysmon"),
                ("ProviderGuid", "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"),
                ("EventID", "22"),
                ("TimeCreated", "2026-05-21T10:00:00.000000Z"),
                ("Channel", "Microsoft-Windows-Sysmon/Operational"),
                ("Computer", "ws1.corp.local"),
                ("SecurityUserID", "S-1-5-18"),
                ("QueryName", "estaliax.io"),
                ("Image", r"C:\Users\a\x & y.exe"),
                ("Q", "<raw>A"),
            ])
        );
    }

    #[test]
    fn user_data_and_unnamed_data() {
        let xml = "<Event><UserData><LogFileCleared><SubjectUserName>bob</SubjectUserName></LogFileCleared></UserData>\
                   <EventData><Data>first</Data><Data>second</Data><Binary>00FF</Binary></EventData></Event>";
        assert_eq!(
            columns(xml).unwrap(),
            pairs(&[
                ("SubjectUserName", "bob"),
                ("Data1", "first"),
                ("Data2", "second"),
                ("Binary", "00FF"),
            ])
        );
    }

    #[test]
    fn hostile_xml_is_refused() {
        let bomb = r#"<!DOCTYPE d [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><EventData><Data Name="x">&b;</Data></EventData>"#;
        assert!(columns(bomb).unwrap_err().contains("document type"));
        let undeclared = r#"<EventData><Data Name="x">&b;</Data></EventData>"#;
        assert!(columns(undeclared).unwrap_err().contains("&b;"));
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(columns(&deep).unwrap_err().contains("nested"));
        assert!(columns("<EventData><Data Name=\"x\">1</EventData>").is_err());
        assert!(columns("<EventData>").unwrap_err().contains("not closed"));
    }
}
