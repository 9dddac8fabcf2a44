//! The detection agrees with the sources' descriptions (`sources`): its content
//! fields, its source names, and what it does with the declared sources' rows.

use detections::content::field_name;
use detections::event::{Field, Source};
use detections::fields::parse_line;

/// Every field, by an exhaustive match: a new field fails to compile here
/// until the sources' list names it.
fn all_fields() -> Vec<Field> {
    let every = [
        Field::QueryName,
        Field::FileName,
        Field::FilePath,
        Field::Image,
        Field::ImageName,
        Field::CommandLine,
        Field::ParentImage,
        Field::ParentImageName,
        Field::ParentCommandLine,
        Field::Company,
        Field::Signer,
        Field::TaskName,
        Field::RemoteIp,
        Field::SourceIp,
        Field::Url,
        Field::RemoteHost,
        Field::Sha256,
        Field::Sha1,
        Field::Md5,
    ];
    for f in every {
        match f {
            Field::QueryName
            | Field::FileName
            | Field::FilePath
            | Field::Image
            | Field::ImageName
            | Field::CommandLine
            | Field::ParentImage
            | Field::ParentImageName
            | Field::ParentCommandLine
            | Field::Company
            | Field::Signer
            | Field::TaskName
            | Field::RemoteIp
            | Field::SourceIp
            | Field::Url
            | Field::RemoteHost
            | Field::Sha256
            | Field::Sha1
            | Field::Md5 => {}
        }
    }
    every.to_vec()
}

#[test]
fn the_content_fields_are_the_detections_fields() {
    let fields = all_fields();
    assert_eq!(fields.len(), sources::CONTENT_FIELDS.len());
    for (f, c) in fields.into_iter().zip(sources::CONTENT_FIELDS) {
        assert_eq!(field_name(f), c.name);
        assert_eq!(f.is_process_field(), c.process, "{}", c.name);
        let parsed: Field = serde_json::from_value(serde_json::json!(c.name)).expect("a field");
        assert_eq!(parsed, f);
    }
}

#[test]
fn the_sources_are_named_as_reports_name_them() {
    let pairs = [
        (Source::DnsEvents, &sources::DNS_EVENTS),
        (Source::AsimDns, &sources::ASIM_DNS),
        (Source::SysmonProcessCreate, &sources::SYSMON_1),
        (Source::SysmonFileCreate, &sources::SYSMON_11),
        (Source::SysmonDnsQuery, &sources::SYSMON_22),
        (Source::SysmonNetworkConnect, &sources::SYSMON_3),
        (Source::DeviceNetworkEvents, &sources::DEVICE_NETWORK_EVENTS),
        (Source::CommonSecurityLog, &sources::COMMON_SECURITY_LOG),
        (Source::UrlClickEvents, &sources::URL_CLICK_EVENTS),
        (Source::DeviceProcessEvents, &sources::DEVICE_PROCESS_EVENTS),
        (Source::DeviceFileEvents, &sources::DEVICE_FILE_EVENTS),
        (Source::DeviceEventsDns, &sources::DEVICE_EVENTS_DNS),
        (Source::DeviceEventsTask, &sources::DEVICE_EVENTS_TASK),
        (
            Source::DeviceFileCertificateInfo,
            &sources::DEVICE_FILE_CERTIFICATE_INFO,
        ),
        (Source::DeviceNetworkInfo, &sources::DEVICE_NETWORK_INFO),
        (Source::Heartbeat, &sources::HEARTBEAT),
        (Source::SecurityEvent, &sources::SECURITY_EVENT),
    ];
    for (source, spec) in pairs {
        assert_eq!(source.name(), spec.name);
    }
}

/// Every described source is read: none is left declared and read as another.
#[test]
fn no_source_is_only_declared() {
    let declared: Vec<&str> = sources::SOURCES
        .iter()
        .filter(|s| s.used == sources::Use::Declared)
        .map(|s| s.name)
        .collect();
    assert!(declared.is_empty(), "{declared:?}");
}

/// The network tables' rows are read with their remote end, their source and
/// their process: each column the sources name lands in its field.
#[test]
fn network_rows_are_read_with_their_remote_end() {
    let ev = parse_line(
        r#"{"Type":"DeviceNetworkEvents","DeviceName":"ws01","ActionType":"ConnectionSuccess","RemoteIP":"::ffff:198.51.100.7","RemotePort":54984,"RemoteUrl":"estaliax.io","LocalIP":"10.0.0.5","InitiatingProcessFolderPath":"C:\\Users\\a\\AppData\\Roaming\\x.exe","InitiatingProcessFileName":"x.exe"}"#,
    )
    .expect("reads");
    assert_eq!(ev.source, Source::DeviceNetworkEvents);
    assert_eq!(ev.field(Field::RemoteIp), Some("::ffff:198.51.100.7"));
    assert_eq!(ev.field(Field::RemoteHost), Some("estaliax.io"));
    assert_eq!(ev.field(Field::SourceIp), Some("10.0.0.5"));
    assert_eq!(ev.field(Field::Url), None, "a bare name is no URL");
    assert_eq!(ev.net.as_ref().and_then(|n| n.remote_port), Some(54984));
    assert_eq!(ev.field(Field::ImageName), Some("x.exe"));

    let ev = parse_line(
        r#"{"EventID":3,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws01","ProcessGuid":"{a}","Image":"C:\\x.exe","DestinationIp":"198.51.100.7","DestinationPort":"443","DestinationHostname":"pf-lb-2.online.net","SourceIp":"10.0.0.5"}"#,
    )
    .expect("reads");
    assert_eq!(ev.source, Source::SysmonNetworkConnect);
    let net = ev.net.as_ref().expect("a connection");
    assert!(
        net.reverse_lookup,
        "Sysmon's host name is its own PTR lookup"
    );
    assert_eq!(net.remote_port, Some(443));
    assert_eq!(ev.field(Field::RemoteHost), Some("pf-lb-2.online.net"));

    let ev = parse_line(
        r#"{"Type":"CommonSecurityLog","Computer":"fw01","DeviceVendor":"Zscaler","SourceIP":"10.0.0.5","SourceTranslatedAddress":"203.0.113.9","DestinationIP":"198.51.100.7","DestinationPort":80,"RequestURL":"estaliax.io/gate.php","DeviceAction":"Allowed","SourceUserName":"alice"}"#,
    )
    .expect("reads");
    assert_eq!(ev.source, Source::CommonSecurityLog);
    assert_eq!(
        ev.host.as_deref(),
        Some("10.0.0.5"),
        "the endpoint, not the appliance"
    );
    let net = ev.net.as_ref().expect("a connection");
    assert_eq!(net.device.as_deref(), Some("fw01"));
    assert_eq!(net.translated_ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(ev.field(Field::Url), Some("http://estaliax.io/gate.php"));
    assert_eq!(ev.field(Field::RemoteHost), Some("estaliax.io"));
    assert_eq!(
        ev.process.as_ref().and_then(|p| p.user.as_deref()),
        Some("alice")
    );
    assert_eq!(
        ev.field(Field::Image),
        None,
        "an appliance's row names no endpoint process"
    );

    let ev = parse_line(
        r#"{"Type":"UrlClickEvents","Url":"https://estaliax.io/a","AccountUpn":"bob@example.org","IPAddress":"10.0.0.6","ActionType":"ClickAllowed"}"#,
    )
    .expect("reads");
    assert_eq!(ev.source, Source::UrlClickEvents);
    assert_eq!(ev.field(Field::Url), Some("https://estaliax.io/a"));
}

/// A port that is not a number is an error naming the column, never a
/// connection read without its port.
#[test]
fn a_bad_port_names_its_column() {
    let e = parse_line(
        r#"{"Type":"DeviceNetworkEvents","RemoteIP":"198.51.100.7","RemotePort":"http"}"#,
    )
    .expect_err("a bad port");
    assert!(e.to_string().contains("RemotePort"), "{e}");
}

/// The objects' digests: Defender's columns and Sysmon's `Hashes`, lower case.
#[test]
fn file_and_process_rows_carry_their_objects_digests() {
    let ev = parse_line(
        r#"{"Type":"DeviceFileEvents","ActionType":"FileCreated","FolderPath":"C:\\t","FileName":"a.exe","SHA256":"AB12","MD5":""}"#,
    )
    .expect("reads");
    assert_eq!(ev.field(Field::Sha256), Some("ab12"));
    assert_eq!(ev.field(Field::Md5), None);
    let ev = parse_line(
        r#"{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\a.exe","Hashes":"SHA1=AA,MD5=BB,SHA256=CC,IMPHASH=DD"}"#,
    )
    .expect("reads");
    assert_eq!(ev.field(Field::Sha1), Some("aa"));
    assert_eq!(ev.field(Field::Md5), Some("bb"));
    assert_eq!(ev.field(Field::Sha256), Some("cc"));
}
