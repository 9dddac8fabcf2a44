//! Sentinel `Event` table rows of Sysmon events: the Log Analytics agent puts
//! Sysmon's fields in the `EventData` column as XML
//! (`<DataItem ...><EventData xmlns=...><Data Name="ProcessGuid">...`). Such a
//! row is expanded into the flattened Sysmon shape the field mapping reads:
//! the row's own columns, less `Type` (`Event` is a table no hunt reads) and
//! `EventData`; `Source` also as `SourceName` and `EventLog` also as `Channel`
//! (the provider the mapping checks); then every `Data` item as a column.
//! A row's own column wins over a `Data` item of the same name.

use super::error::Rejected;
use super::row::{OwnedRow, RowBuilder};
use super::xml;

use sources::{base_name, SYSMON_EVENT_TABLE as EVENT, TYPE_COLUMN};

/// If a row, read through `get`, is an `Event` table row of a Sysmon event
/// (`Source` is Sysmon's provider, `EventID` is set, `Type` is absent or
/// `Event`, `EventData` holds XML), its `EventData`.
pub(crate) fn sysmon_event_data<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
    if !get(EVENT.provider_column)?.eq_ignore_ascii_case(EVENT.provider) {
        return None;
    }
    get(EVENT.event_id)?;
    if let Some(t) = get(TYPE_COLUMN) {
        if !base_name(t).0.eq_ignore_ascii_case(EVENT.table) {
            return None;
        }
    }
    get(EVENT.data).filter(|x| x.trim_start().starts_with('<'))
}

/// Expand a row (`columns`, whose `EventData` is `event_data`) into the
/// flattened Sysmon shape.
pub(crate) fn expand<'a>(
    columns: impl Iterator<Item = (&'a str, &'a str)>,
    event_data: &str,
    max_xml: usize,
) -> Result<OwnedRow, Rejected> {
    let mut row = RowBuilder::default();
    for (name, value) in columns {
        if name != TYPE_COLUMN && name != EVENT.data {
            row.push(name, value);
        }
    }
    for (from, to) in EVENT.aliases {
        row.alias(from, to);
    }
    xml::read_into(event_data, max_xml, EVENT.data, &mut row)?;
    Ok(row.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use detections::row::{Cell, Columns};

    const XML: &str = r#"<DataItem type="System.XmlData" time="2026-05-21T10:00:00.0000000Z"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="QueryName">estaliax.io</Data><Data Name="Image">C:\a.exe</Data><Data Name="Computer">spoofed</Data></EventData></DataItem>"#;

    fn get<'a>(cols: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + 'a {
        move |k| cols.iter().find(|(n, _)| *n == k).map(|(_, v)| *v)
    }

    #[test]
    fn only_sysmon_event_rows_with_xml_are_expanded() {
        let row = [
            ("Type", "Event"),
            ("Source", "Microsoft-Windows-Sysmon"),
            ("EventID", "22"),
            ("EventData", XML),
        ];
        assert_eq!(sysmon_event_data(get(&row)), Some(XML));
        let mut other = row;
        other[0].1 = "SecurityEvent";
        assert_eq!(sysmon_event_data(get(&other)), None);
        other = row;
        other[1].1 = "Service Control Manager";
        assert_eq!(sysmon_event_data(get(&other)), None);
        other = row;
        other[3].1 = "plain text";
        assert_eq!(sysmon_event_data(get(&other)), None);
        other = row;
        other[0].1 = "event_cl";
        assert_eq!(sysmon_event_data(get(&other)), Some(XML));
    }

    #[test]
    fn expansion_drops_type_and_keeps_the_rows_own_columns_first() {
        let cols = [
            ("Type", "Event"),
            ("Computer", "ws1"),
            ("Source", "Microsoft-Windows-Sysmon"),
            ("EventLog", "Microsoft-Windows-Sysmon/Operational"),
            ("EventID", "22"),
            ("EventData", XML),
        ];
        let row = expand(cols.into_iter(), XML, 1 << 20).unwrap();
        assert_eq!(row.cell("Type"), Cell::Absent);
        assert_eq!(row.cell("EventData"), Cell::Absent);
        assert_eq!(row.cell("QueryName"), Cell::Str("estaliax.io"));
        assert_eq!(row.cell("Computer"), Cell::Str("ws1"));
        assert_eq!(
            row.cell("Channel"),
            Cell::Str("Microsoft-Windows-Sysmon/Operational")
        );
        assert_eq!(
            row.cell("SourceName"),
            Cell::Str("Microsoft-Windows-Sysmon")
        );
        assert!(matches!(
            expand(cols.into_iter(), XML, 10),
            Err(Rejected::Xml { .. })
        ));
    }
}
