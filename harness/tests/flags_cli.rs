//! Flags a user can get wrong: a negative number reaches the real check and its
//! message, not clap's "unexpected argument".

use std::process::Command;

fn huntlab(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(args)
        .output()
        .expect("huntlab runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn negative_scale_and_hours_get_the_real_message() {
    for (args, message) in [
        (
            &["report", "--quiet", "--scale", "-1"][..],
            "--scale must be a positive number, got -1",
        ),
        (
            &["simulate", "--scale", "-1"][..],
            "--scale must be a positive number, got -1",
        ),
        (
            &["simulate", "--hours", "-2"][..],
            "--hours must be a positive number",
        ),
    ] {
        let (code, err) = huntlab(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
    }
}
