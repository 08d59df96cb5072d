//! What the `account` tests share: a Pipedrive look-alike on a loopback port ([`server`],
//! [`routes`]) and a user's machine with its own config folder, the token set, and runs
//! checked never to print the token.

mod routes;
mod server;
mod spec;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

#[allow(unused_imports)]
pub use server::{FakePipedrive, Fault, TOKEN};

/// A user's machine: its own config folder (where the snapshot goes) and the token set.
pub struct Machine {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Machine {
    pub fn new() -> Machine {
        Machine {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn pipemap(&self) -> Command {
        let mut cmd = crate::common::pipemap();
        cmd.env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path().join("home"))
            .env("PIPEDRIVE_API_TOKEN", TOKEN)
            .env_remove("PIPEMAP_API_URL");
        cmd
    }

    /// `pipemap account ARGS` against the server, with a short timeout and quick retries.
    pub fn account(&self, server: &FakePipedrive, args: &[&str]) -> Command {
        self.account_with(server, args, "2", "2")
    }

    pub fn account_with(
        &self,
        server: &FakePipedrive,
        args: &[&str],
        timeout: &str,
        retries: &str,
    ) -> Command {
        let mut cmd = self.pipemap();
        cmd.arg("account").args(args).args([
            "--api-url",
            &server.url,
            "--timeout",
            timeout,
            "--retries",
            retries,
        ]);
        cmd
    }

    /// `pipemap link OUT [--apply]` against the server.
    pub fn account_link(&self, server: &FakePipedrive, out: &Path, apply: bool) -> Command {
        let mut cmd = self.pipemap();
        cmd.arg("link").arg(out).args([
            "--api-url",
            &server.url,
            "--timeout",
            "2",
            "--retries",
            "2",
        ]);
        if apply {
            cmd.arg("--apply");
        }
        cmd
    }

    pub fn snapshot(&self) -> PathBuf {
        self.dir.path().join("config/pipemap/account/acme.json")
    }

    /// An export folder whose summary.json needs fields, stages, types and labels, some of
    /// which the account already has.
    pub fn export(&self) -> PathBuf {
        let out = self.dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let summary = json!({
            "plan": [],
            "custom_fields_to_create": [
                {"entity": "person", "name": "Tier", "field_type": "enum", "options": ["Gold", "Bronze"]},
                {"entity": "person", "name": "Source", "field_type": "varchar", "options": []},
                {"entity": "deal", "name": "Budget", "field_type": "monetary", "options": []},
                {"entity": "organization", "name": "Segment", "field_type": "enum",
                 "options": ["SMB", "Enterprise"]}
            ],
            "stages_to_create": [
                {"pipeline": "Sales pipeline", "stages": ["Qualified", "Demo", "Won back"]},
                {"pipeline": "Renewals", "stages": ["Due", "Renewed"]}
            ],
            "activity_types_to_create": ["Demo", "call"],
            "labels_to_create": {"person": ["VIP", "Customer"], "lead": ["Hot", "Partner"]}
        });
        std::fs::write(out.join("summary.json"), summary.to_string()).unwrap();
        out
    }
}

pub const TO_CREATE: [&str; 12] = [
    "option \"Bronze\" of person field \"Tier\"",
    "person field \"Source\" (varchar)",
    "deal field \"Budget\" (monetary)",
    "organization field \"Segment\" (enum: SMB, Enterprise)",
    "stage \"Demo\" in pipeline \"Sales pipeline\"",
    "stage \"Won back\" in pipeline \"Sales pipeline\"",
    "pipeline \"Renewals\"",
    "stage \"Due\" in pipeline \"Renewals\"",
    "stage \"Renewed\" in pipeline \"Renewals\"",
    "activity type \"Demo\"",
    "person label \"VIP\"",
    "lead label \"Partner\"",
];

/// Runs the command and checks the token shows nowhere in what it printed.
pub fn run(mut cmd: Command) -> Run {
    let output = cmd.output().unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).to_string(),
    };
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token was printed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

pub fn ok(cmd: Command) -> Run {
    let r = run(cmd);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    r
}

pub fn manifest(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("account-manifest.json")).expect("a manifest");
    assert!(!text.contains(TOKEN));
    serde_json::from_str(&text).unwrap()
}

pub fn writes(server: &FakePipedrive) -> usize {
    server.seen().iter().filter(|s| s.method != "GET").count()
}
