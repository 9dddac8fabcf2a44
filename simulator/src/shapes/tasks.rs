//! A task's registration, as the sensors record it: Defender's `DeviceEvents`
//! row with `ActionType == "ScheduledTaskCreated"` (`AdditionalFields`:
//! `TaskName`, `TaskContent` as JSON, `SubjectUserName`), and, on a Sysmon host,
//! Windows Security event 4698 in Sentinel's `SecurityEvent` (task name and XML
//! inside `EventData`). The process that asked (`schtasks.exe /create`, an
//! installer) has its own process row; the Task Scheduler service registers the
//! task, so it is the `DeviceEvents` row's initiating process.

use serde_json::json;

use crate::row::Row;

use super::defender::{head, initiating, tail};
use super::host::{Host, Sensor, AD_DOMAIN};
use super::process::{Proc, Task};
use crate::record::{Record, Table};
use crate::time;

/// Escape text for XML content.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Who registered the task: (user name, domain, SID, logon id).
fn subject(h: &Host, creator: &Proc) -> (String, String, String, String) {
    if creator.system {
        (
            format!("{}$", h.id.name),
            AD_DOMAIN.to_owned(),
            "S-1-5-18".to_owned(),
            "0x3e7".to_owned(),
        )
    } else {
        (
            h.id.user.clone(),
            AD_DOMAIN.to_owned(),
            h.user_sid(),
            format!("0x{}", h.logon_hex),
        )
    }
}

/// The task's definition as Windows stores it (the XML that 4698 carries): a
/// daily trigger for a SYSTEM task, a logon trigger for a user's.
fn task_xml(h: &Host, task: &Task, t: i64, author: &str) -> String {
    let (trigger, principal) = if task.system {
        (
            "<CalendarTrigger><StartBoundary>2026-01-01T02:00:00</StartBoundary><Enabled>true</Enabled><ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>".to_owned(),
            "<UserId>S-1-5-18</UserId><RunLevel>HighestAvailable</RunLevel>".to_owned(),
        )
    } else {
        (
            "<LogonTrigger><Enabled>true</Enabled></LogonTrigger>".to_owned(),
            format!(
                "<UserId>{AD_DOMAIN}\\{}</UserId><LogonType>InteractiveToken</LogonType><RunLevel>LeastPrivilege</RunLevel>",
                h.id.user
            ),
        )
    };
    let date = &time::iso(t)[..19];
    let args = if task.arguments.is_empty() {
        String::new()
    } else {
        format!(
            "\r\n      <Arguments>{}</Arguments>",
            xml_escape(&task.arguments)
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\r\n  <RegistrationInfo>\r\n    <Date>{date}</Date>\r\n    <Author>{}</Author>\r\n    <URI>{}</URI>\r\n  </RegistrationInfo>\r\n  <Triggers>\r\n    {trigger}\r\n  </Triggers>\r\n  <Principals>\r\n    <Principal id=\"Author\">{principal}</Principal>\r\n  </Principals>\r\n  <Settings>\r\n    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\r\n    <StartWhenAvailable>true</StartWhenAvailable>\r\n    <Enabled>true</Enabled>\r\n    <ExecutionTimeLimit>PT72H</ExecutionTimeLimit>\r\n  </Settings>\r\n  <Actions Context=\"Author\">\r\n    <Exec>\r\n      <Command>{}</Command>{args}\r\n    </Exec>\r\n  </Actions>\r\n</Task>",
        xml_escape(author),
        xml_escape(&task.name),
        xml_escape(&task.command),
    )
}

impl Host {
    /// `creator` registers `task` at `t` (the creator's own process row is the
    /// caller's): a `ScheduledTaskCreated` row on a Defender host, Security
    /// event 4698 on a Sysmon host (whose agent also collects the Security log),
    /// nothing on a host without a sensor.
    pub fn register_task(
        &mut self,
        t: i64,
        creator: &Proc,
        task: &Task,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        let (user, domain, sid, logon) = subject(self, creator);
        match self.id.sensor {
            Sensor::None => {}
            Sensor::Defender => {
                let exec = json!({"Command": task.command, "Arguments": task.arguments});
                let trigger = if task.system {
                    json!({"CalendarTrigger": {"Enabled": "true"}})
                } else {
                    json!({"LogonTrigger": {"Enabled": "true"}})
                };
                let content = json!({"Triggers": trigger, "Actions": {"Exec": exec}});
                let fields = json!({"TaskName": task.name, "TaskContent": content.to_string(), "SubjectUserName": user});
                let mut m = head(self, t, "ScheduledTaskCreated");
                m.insert("AdditionalFields", fields.to_string().into());
                let schedule = std::sync::Arc::clone(&self.boot.schedule);
                initiating(self, &mut m, &schedule);
                tail(self, &mut m, Table::DeviceEvents);
                out.push(self.record(t, Table::DeviceEvents, m, step));
            }
            Sensor::Sysmon => {
                let author = format!("{domain}\\{user}");
                let xml = task_xml(self, task, t, &author);
                let data = format!(
                    "<EventData xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><Data Name=\"SubjectUserSid\">{sid}</Data><Data Name=\"SubjectUserName\">{}</Data><Data Name=\"SubjectDomainName\">{domain}</Data><Data Name=\"SubjectLogonId\">{logon}</Data><Data Name=\"TaskName\">{}</Data><Data Name=\"TaskContent\">{}</Data></EventData>",
                    xml_escape(&user),
                    xml_escape(&task.name),
                    xml_escape(&xml),
                );
                let mut m = Row::with_capacity(15);
                m.insert("TimeGenerated", time::iso(t).into());
                m.insert("SourceSystem", "OpsManager".into());
                m.insert("Computer", self.fqdn().into());
                m.insert(
                    "EventSourceName",
                    "Microsoft-Windows-Security-Auditing".into(),
                );
                m.insert("Channel", "Security".into());
                m.insert("Task", 12804.into());
                m.insert("EventID", 4698.into());
                m.insert("Activity", "4698 - A scheduled task was created.".into());
                m.insert("SubjectAccount", format!("{domain}\\{user}").into());
                m.insert("SubjectUserSid", sid.into());
                m.insert("SubjectUserName", user.into());
                m.insert("SubjectDomainName", domain.into());
                m.insert("SubjectLogonId", logon.into());
                m.insert("EventData", data.into());
                m.insert("Type", "SecurityEvent".into());
                out.push(self.record(t, Table::SecurityEvent, m, step));
            }
        }
    }
}
