// SPDX-License-Identifier: MIT
//! Rust peers of hlspp, timed the same way as every other harness of
//! bench/compare_peers: for each (library, workload, operation) warm-up calls for
//! budget/5 s (the fastest sizes the batches),
//! then batches of calls sized so a batch takes about budget/15; reported: the median
//! over the batches of the CPU time per call (median_ns) and of the wall time per
//! call (wall_median_ns). One JSON object per line.
//!
//!     peers-rust BUDGET_SECONDS NAME=PATH [NAME=PATH ...]

use std::hint::black_box;
use std::time::Instant;

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}
extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}
const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;

/// This process's CPU time in seconds (Linux).
fn cpu_seconds() -> f64 {
    let mut ts = Timespec { tv_sec: 0, tv_nsec: 0 };
    unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

struct Timing {
    cpu_ns: f64,
    wall_ns: f64,
    samples: usize,
    batch: usize,
}

fn measure<F: FnMut() -> Result<(), String>>(mut f: F, budget: f64) -> Result<Timing, String> {
    // Warm-up: calls for budget/5 seconds, at least two; the fastest call sizes the batches.
    let t0 = Instant::now();
    let mut calls = 0usize;
    let mut per = f64::INFINITY;
    loop {
        let c0 = Instant::now();
        f()?;
        per = per.min(c0.elapsed().as_secs_f64());
        calls += 1;
        if calls >= 2 && t0.elapsed().as_secs_f64() >= budget / 5.0 {
            break;
        }
    }
    let (batch, samples) = if per >= budget / 3.0 {
        (1usize, 3usize)
    } else {
        let per_sample = budget / 15.0;
        (((per_sample / per.max(1e-9)) as usize).max(1), 15usize)
    };
    let mut cpu = Vec::with_capacity(samples);
    let mut wall = Vec::with_capacity(samples);
    let start_all = Instant::now();
    for _ in 0..samples {
        let c = cpu_seconds();
        let t = Instant::now();
        for _ in 0..batch {
            f()?;
        }
        wall.push(t.elapsed().as_secs_f64() / batch as f64);
        cpu.push((cpu_seconds() - c) / batch as f64);
        if start_all.elapsed().as_secs_f64() > budget * 4.0 && wall.len() >= 3 {
            break;
        }
    }
    let n = wall.len();
    Ok(Timing { cpu_ns: median(cpu) * 1e9, wall_ns: median(wall) * 1e9, samples: n, batch })
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn report(lib: &str, workload: &str, op: &str, bytes: usize, r: Result<Timing, String>) {
    match r {
        Ok(t) => println!(
            "{{\"impl\":{},\"workload\":{},\"op\":{},\"bytes\":{},\"median_ns\":{:.1},\"wall_median_ns\":{:.1},\"samples\":{},\"batch\":{}}}",
            json_str(lib), json_str(workload), json_str(op), bytes, t.cpu_ns, t.wall_ns, t.samples, t.batch
        ),
        Err(e) => println!(
            "{{\"impl\":{},\"workload\":{},\"op\":{},\"bytes\":{},\"error\":{}}}",
            json_str(lib), json_str(workload), json_str(op), bytes, json_str(&e)
        ),
    }
}

// ---- quick-m3u8: the Reader with every tag parsed (its own published benchmark) ----
fn quick_parse(text: &str) -> Result<(), String> {
    use quick_m3u8::{config::ParsingOptionsBuilder, Reader};
    let options = ParsingOptionsBuilder::new().with_parsing_for_all_tags().build();
    let mut reader = Reader::from_str(black_box(text), options);
    loop {
        match reader.read_line() {
            Ok(Some(line)) => {
                black_box(line);
            }
            Ok(None) => return Ok(()),
            Err(e) => return Err(format!("{:?}", e.error)),
        }
    }
}

fn quick_parse_write(text: &str) -> Result<(), String> {
    use quick_m3u8::{config::ParsingOptionsBuilder, Reader, Writer};
    let options = ParsingOptionsBuilder::new().with_parsing_for_all_tags().build();
    let mut reader = Reader::from_str(black_box(text), options);
    let mut writer = Writer::new(Vec::with_capacity(text.len()));
    loop {
        match reader.read_line() {
            Ok(Some(line)) => {
                writer.write_line(line).map_err(|e| e.to_string())?;
            }
            Ok(None) => break,
            Err(e) => return Err(format!("{:?}", e.error)),
        }
    }
    black_box(writer.into_inner());
    Ok(())
}

// ---- m3u8-rs ----
fn m3u8rs_parse(text: &str) -> Result<m3u8_rs::Playlist, String> {
    m3u8_rs::parse_playlist_res(black_box(text.as_bytes())).map_err(|e| format!("{:?}", e).chars().take(200).collect())
}

fn m3u8rs_write(pl: &m3u8_rs::Playlist, cap: usize) -> Result<(), String> {
    let mut out = Vec::with_capacity(cap);
    pl.write_to(&mut out).map_err(|e| e.to_string())?;
    black_box(out);
    Ok(())
}

// ---- hls_m3u8 (strict, typed) ----
enum HlsM3u8<'a> {
    Master(hls_m3u8::MasterPlaylist<'a>),
    Media(hls_m3u8::MediaPlaylist<'a>),
}

fn hlsm3u8_parse(text: &str, master: bool) -> Result<HlsM3u8<'_>, String> {
    if master {
        hls_m3u8::MasterPlaylist::try_from(black_box(text)).map(HlsM3u8::Master).map_err(|e| e.to_string())
    } else {
        hls_m3u8::MediaPlaylist::try_from(black_box(text)).map(HlsM3u8::Media).map_err(|e| e.to_string())
    }
}

fn hlsm3u8_write(pl: &HlsM3u8) -> Result<(), String> {
    let s = match pl {
        HlsM3u8::Master(m) => m.to_string(),
        HlsM3u8::Media(m) => m.to_string(),
    };
    black_box(s);
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: peers-rust BUDGET_SECONDS NAME=PATH [NAME=PATH ...]");
        std::process::exit(2);
    }
    let budget: f64 = args[1].parse().expect("budget");
    let only: Option<Vec<String>> = std::env::var("PEERS_ONLY").ok().map(|s| s.split(',').map(String::from).collect());
    let want = |lib: &str| only.as_ref().map_or(true, |v| v.iter().any(|x| x == lib));
    for spec in &args[2..] {
        let (name, path) = spec.split_once('=').expect("NAME=PATH");
        let text = std::fs::read_to_string(path).expect("read workload");
        let n = text.len();
        let master = text.contains("#EXT-X-STREAM-INF");

        if want("quick-m3u8") {
            report("quick-m3u8", name, "parse", n, measure(|| quick_parse(&text), budget));
            report("quick-m3u8", name, "parse_write", n, measure(|| quick_parse_write(&text), budget));
        }

        if want("m3u8-rs") {
            report("m3u8-rs", name, "parse", n, measure(|| m3u8rs_parse(&text).map(|p| { black_box(p); }), budget));
            match m3u8rs_parse(&text) {
                Ok(pl) => {
                    report("m3u8-rs", name, "write", n, measure(|| m3u8rs_write(&pl, n), budget));
                    report("m3u8-rs", name, "parse_write", n,
                           measure(|| m3u8rs_write(&m3u8rs_parse(&text)?, n), budget));
                }
                Err(e) => {
                    report("m3u8-rs", name, "write", n, Err(e.clone()));
                    report("m3u8-rs", name, "parse_write", n, Err(e));
                }
            }
        }

        if want("hls_m3u8") {
            report("hls_m3u8", name, "parse", n,
                   measure(|| hlsm3u8_parse(&text, master).map(|p| { black_box(p); }), budget));
            match hlsm3u8_parse(&text, master) {
                Ok(pl) => {
                    report("hls_m3u8", name, "write", n, measure(|| hlsm3u8_write(&pl), budget));
                    report("hls_m3u8", name, "parse_write", n,
                           measure(|| hlsm3u8_write(&hlsm3u8_parse(&text, master)?), budget));
                }
                Err(e) => {
                    report("hls_m3u8", name, "write", n, Err(e.clone()));
                    report("hls_m3u8", name, "parse_write", n, Err(e));
                }
            }
        }
    }
}
