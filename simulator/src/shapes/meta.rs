//! Version information of binaries: what Sysmon's `Company`, `Description`,
//! `Product`, `OriginalFileName` and `FileVersion` (and Defender's
//! `ProcessVersionInfo*`) say.

use super::path::basename;

/// Version information of an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub company: String,
    pub description: String,
    pub product: String,
    pub original_file_name: String,
    pub file_version: String,
}

impl Meta {
    pub fn new(
        company: &str,
        description: &str,
        product: &str,
        original: &str,
        version: &str,
    ) -> Meta {
        Meta {
            company: company.to_owned(),
            description: description.to_owned(),
            product: product.to_owned(),
            original_file_name: original.to_owned(),
            file_version: version.to_owned(),
        }
    }
}

/// Version information of well-known Windows and application binaries.
pub fn known_meta(image: &str) -> Option<Meta> {
    const MS: &str = "Microsoft Corporation";
    const WIN: &str = "Microsoft® Windows® Operating System";
    const WINVER: &str = "10.0.19041.1 (WinBuild.160101.0800)";
    const NET: &str = "Microsoft® .NET Framework";
    let m = |c: &str, d: &str, p: &str, o: &str, v: &str| Some(Meta::new(c, d, p, o, v));
    match basename(image).to_ascii_lowercase().as_str() {
        "explorer.exe" => m(MS, "Windows Explorer", WIN, "EXPLORER.EXE", WINVER),
        "svchost.exe" => m(
            MS,
            "Host Process for Windows Services",
            WIN,
            "svchost.exe",
            WINVER,
        ),
        "services.exe" => m(
            MS,
            "Services and Controller app",
            WIN,
            "services.exe",
            WINVER,
        ),
        "userinit.exe" => m(
            MS,
            "Userinit Logon Application",
            WIN,
            "USERINIT.EXE",
            WINVER,
        ),
        "wininit.exe" => m(
            MS,
            "Windows Start-Up Application",
            WIN,
            "WinInit.exe",
            WINVER,
        ),
        "cmd.exe" => m(MS, "Windows Command Processor", WIN, "Cmd.Exe", WINVER),
        "powershell.exe" => m(MS, "Windows PowerShell", WIN, "PowerShell.EXE", WINVER),
        "schtasks.exe" => m(
            MS,
            "Task Scheduler Configuration Tool",
            WIN,
            "schtasks.exe",
            WINVER,
        ),
        "wscript.exe" => m(
            MS,
            "Microsoft ® Windows Based Script Host",
            WIN,
            "wscript.exe",
            "5.812.10240.16384",
        ),
        "msiexec.exe" => m(
            MS,
            "Windows® installer",
            "Windows Installer - Unicode",
            "msiexec.exe",
            "5.0.19041.1",
        ),
        "rundll32.exe" => m(
            MS,
            "Windows host process (Rundll32)",
            WIN,
            "RUNDLL32.EXE",
            WINVER,
        ),
        "regasm.exe" => m(
            MS,
            "Microsoft .NET Assembly Registration Utility",
            NET,
            "RegAsm.exe",
            "2.0.50727.9149",
        ),
        "regsvcs.exe" => m(
            MS,
            "Microsoft .NET Services Installation Utility",
            NET,
            "RegSvcs.exe",
            "2.0.50727.9149",
        ),
        "outlook.exe" => m(
            MS,
            "Microsoft Outlook",
            "Microsoft Outlook",
            "Outlook.exe",
            "16.0.17328.20162",
        ),
        "winword.exe" => m(
            MS,
            "Microsoft Word",
            "Microsoft Office",
            "WinWord.exe",
            "16.0.17328.20162",
        ),
        "teams.exe" => m(
            MS,
            "Microsoft Teams",
            "Microsoft Teams",
            "Teams.exe",
            "1.7.00.6058",
        ),
        "onedrive.exe" => m(
            MS,
            "Microsoft OneDrive",
            "Microsoft OneDrive",
            "OneDrive.exe",
            "24.086.0428.0003",
        ),
        "msedge.exe" => m(
            MS,
            "Microsoft Edge",
            "Microsoft Edge",
            "msedge.exe",
            "124.0.2478.80",
        ),
        "chrome.exe" => m(
            "Google LLC",
            "Google Chrome",
            "Google Chrome",
            "chrome.exe",
            "124.0.6367.207",
        ),
        _ => None,
    }
}
