//! `pipemap` run under a memory limit the test sets (RLIMIT_AS, the address space the process
//! may map), with its peak resident memory read back from the kernel (`wait4`'s rusage) and a
//! time limit: what proves that a hostile input is refused or read within bounded memory.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The address space a run may map: 512 MiB.
pub const LIMIT_BYTES: u64 = 512 << 20;

/// What one limited run did.
#[derive(Debug)]
pub struct Run {
    /// The exit code, None when a signal ended the process.
    pub code: Option<i32>,
    /// The signal that ended the process, if one did.
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident memory, in bytes.
    pub max_rss: u64,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl Run {
    /// The run ended by itself, within the memory limit, without a panic or a failed
    /// allocation.
    pub fn assert_clean(&self) {
        assert_eq!(self.signal, None, "ended by a signal: {self:?}");
        assert_ne!(self.code, Some(101), "panicked: {}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(
            !self.stderr.contains("memory allocation of"),
            "{}",
            self.stderr
        );
        // The bound itself is the address-space limit: a run past it fails an allocation, which
        // the checks above catch. `max_rss` is shown, not asserted: Linux keeps a process's
        // high-water mark across exec, so a child forked from a large test process reports
        // the parent's pages it shared before exec.
        eprintln!("peak resident {} MiB", self.max_rss >> 20);
    }

    /// Clean, and refused with exit code 2 and a message holding every one of `says`.
    pub fn assert_refused(&self, says: &[&str]) {
        self.assert_clean();
        assert_eq!(self.code, Some(2), "{}", self.stderr);
        for s in says {
            assert!(self.stderr.contains(s), "wanted {s:?} in: {}", self.stderr);
        }
    }
}

/// Runs `pipemap args…` in `dir` under [`LIMIT_BYTES`] of address space, killed after
/// `timeout`.
pub fn run_limited(dir: &Path, args: &[&str], timeout: Duration) -> Run {
    let out_path = dir.join(".limited-stdout");
    let err_path = dir.join(".limited-stderr");
    let mut cmd = super::pipemap_process();
    cmd.current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: LIMIT_BYTES as libc::rlim_t,
                rlim_max: LIMIT_BYTES as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let child = cmd.spawn().expect("pipemap starts");
    let pid = child.id() as libc::pid_t;
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            while start.elapsed() < timeout {
                if done.load(Ordering::SeqCst) {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // SAFETY: the child is not reaped until wait4 below returns.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            true
        })
    };
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child; status and usage are valid for writing.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    let elapsed = start.elapsed();
    done.store(true, Ordering::SeqCst);
    let timed_out = watchdog.join().unwrap();
    drop(child);
    let read = |p: &Path| {
        let mut s = Vec::new();
        std::fs::File::open(p).unwrap().read_to_end(&mut s).unwrap();
        String::from_utf8_lossy(&s).into_owned()
    };
    let run = Run {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        stdout: read(&out_path),
        stderr: read(&err_path),
        // Linux reports ru_maxrss in KiB.
        max_rss: usage.ru_maxrss as u64 * 1024,
        elapsed,
    };
    assert!(!timed_out, "still running after {timeout:?}: {run:?}");
    eprintln!(
        "pipemap {}: exit {:?}, peak {} MiB, {:.1} s",
        args.join(" "),
        run.code,
        run.max_rss >> 20,
        elapsed.as_secs_f64()
    );
    run
}

/// A profile that reads a file with a `Name` column as persons.
const PERSONS: &str = "version: 1
name: limits
files:
  - match: {headers_include: [Name]}
    entity: person
    columns:
      Name: person.name
";

/// `pipemap apply FILE` with a profile of persons by `Name`, under the limit, into `dir/out`.
pub fn apply(dir: &Path, file: &str) -> Run {
    std::fs::write(dir.join("profile.yaml"), PERSONS).unwrap();
    run_limited(
        dir,
        &[
            "apply",
            file,
            "--profile",
            "profile.yaml",
            "--allow-drift",
            "--out",
            "out",
        ],
        Duration::from_secs(300),
    )
}

/// The `Person - Name` column of the export in `dir/out`.
pub fn names(dir: &Path) -> Vec<String> {
    super::rows(&dir.join("out/02-persons.csv"))
        .into_iter()
        .map(|r| r["Person - Name"].clone())
        .collect()
}
