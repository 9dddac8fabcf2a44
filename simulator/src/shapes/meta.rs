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
    /// The code-signing certificate's subject (empty: unsigned).
    pub signer: String,
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
            signer: String::new(),
        }
    }

    /// The same, signed by `signer`.
    pub fn signed(mut self, signer: &str) -> Meta {
        self.signer = signer.to_owned();
        self
    }
}

/// Version information of well-known Windows and application binaries.
pub fn known_meta(image: &str) -> Option<Meta> {
    const MS: &str = "Microsoft Corporation";
    const WIN: &str = "Microsoft® Windows® Operating System";
    const WINVER: &str = "10.0.19041.1 (WinBuild.160101.0800)";
    const NET: &str = "Microsoft® .NET Framework";
    // Windows' own binaries are signed "Microsoft Windows"; Office, .NET, Teams,
    // OneDrive and Edge "Microsoft Corporation".
    let os = |d: &str, o: &str| Some(Meta::new(MS, d, WIN, o, WINVER).signed("Microsoft Windows"));
    let m = |c: &str, d: &str, p: &str, o: &str, v: &str| {
        let signer = if c == MS { "Microsoft Corporation" } else { c };
        Some(Meta::new(c, d, p, o, v).signed(signer))
    };
    match basename(image).to_ascii_lowercase().as_str() {
        "wininit.exe" => os("Windows Start-Up Application", "WinInit.exe"),
        "winlogon.exe" => os("Windows Logon Application", "WINLOGON.EXE"),
        "taskeng.exe" => os("Task Scheduler Engine", "taskeng.exe"),
        "taskhostw.exe" => os("Host Process for Windows Tasks", "taskhostw.exe"),
        "explorer.exe" => os("Windows Explorer", "EXPLORER.EXE"),
        "svchost.exe" => os("Host Process for Windows Services", "svchost.exe"),
        "services.exe" => os("Services and Controller app", "services.exe"),
        "userinit.exe" => os("Userinit Logon Application", "USERINIT.EXE"),
        "cmd.exe" => os("Windows Command Processor", "Cmd.Exe"),
        "powershell.exe" => os("Windows PowerShell", "PowerShell.EXE"),
        "schtasks.exe" => os("Task Scheduler Configuration Tool", "schtasks.exe"),
        "wscript.exe" => Some(
            Meta::new(
                MS,
                "Microsoft ® Windows Based Script Host",
                WIN,
                "wscript.exe",
                "5.812.10240.16384",
            )
            .signed("Microsoft Windows"),
        ),
        "msiexec.exe" => Some(
            Meta::new(
                MS,
                "Windows® installer",
                "Windows Installer - Unicode",
                "msiexec.exe",
                "5.0.19041.1",
            )
            .signed("Microsoft Windows"),
        ),
        "rundll32.exe" => os("Windows host process (Rundll32)", "RUNDLL32.EXE"),
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
