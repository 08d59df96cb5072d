//! Rows converted on worker threads and handed back in the order they were read: the calling
//! thread reads chunks of rows into a queue the workers take from, and carries out the
//! converted ones in order. When the oldest chunk is not converted yet, the calling thread
//! converts a queued chunk itself rather than wait, so both cores of a two-core machine
//! convert, and it never converts while the workers keep up. Order matters (the outputs, their
//! line numbers and every count follow the source), so each chunk carries its sequence number
//! and waits until those before it are taken.

use std::collections::{BTreeMap, VecDeque};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// Rows per chunk handed to a worker: large enough that the hand-over costs nothing per row,
/// small enough that a worker's chunk is a few hundred kilobytes.
pub const CHUNK_ROWS: usize = 1024;

/// Threads converting rows, the reading thread included, as the user set it (`--threads`);
/// 0 until set: one per core.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// Sets how many threads convert rows, the reading thread included (0: one per core). The
/// output is the same whatever the number.
pub fn set_threads(threads: usize) {
    THREADS.store(threads, Ordering::Relaxed);
}

/// How many threads convert beside the one reading and writing: one fewer than the threads
/// asked for (or the cores), at most eight (past that, reading and writing on one thread is
/// the limit). None on one core or with `--threads 1`: the reading thread converts every row.
pub fn workers() -> usize {
    let threads = match THREADS.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    threads.saturating_sub(1).min(8)
}

/// A chunk's converted items, or the panic a worker met converting it.
type Done<R> = (u64, std::thread::Result<Vec<R>>);

/// Reads items with `next` until it returns `None`, converts each with `work` on `workers`
/// threads (none: on the calling thread, one item at a time) in chunks of `chunk_len`, and calls `take` on each result in the order the items
/// were read. `next` and `take` run on the calling thread. The first error from `next` or
/// `take` stops the reading and is returned once the workers have stopped; a panic in `work`
/// is raised again on the calling thread.
pub fn ordered_map<T, R, E>(
    workers: usize,
    chunk_len: usize,
    mut next: impl FnMut() -> Result<Option<T>, E>,
    work: impl Fn(T) -> R + Sync,
    mut take: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    if workers == 0 {
        while let Some(item) = next()? {
            take(work(item))?;
        }
        return Ok(());
    }
    let chunk_len = chunk_len.max(1);
    // Chunks read ahead of the one being taken: two per worker (one being converted, one
    // queued), and three more, so that a worker still finds one queued after the calling
    // thread converted one itself and before it has read the next.
    let in_flight = 2 * workers as u64 + 3;
    let queue = Queue::new();
    std::thread::scope(|scope| {
        // Whatever way this thread leaves, the workers stop.
        let _closing = Closing(&queue);
        let (done_tx, done_rx) = mpsc::channel::<Done<R>>();
        let work = &work;
        for _ in 0..workers {
            let done = done_tx.clone();
            let queue = &queue;
            scope.spawn(move || convert_chunks(queue, work, done));
        }
        drop(done_tx);

        let (mut sent, mut taken) = (0u64, 0u64);
        let mut ready: BTreeMap<u64, Vec<R>> = BTreeMap::new();
        let mut read_all = false;
        loop {
            while !read_all && sent - taken < in_flight {
                let items = read_chunk(&mut next, chunk_len, &mut read_all)?;
                if items.is_empty() {
                    break;
                }
                queue.push(sent, items);
                sent += 1;
            }
            if taken == sent {
                return Ok(());
            }
            collect_done(&mut ready, &done_rx);
            if let Some(chunk) = ready.remove(&taken) {
                for item in chunk {
                    take(item)?;
                }
                taken += 1;
                continue;
            }
            // The oldest chunk is still being converted: convert a queued one meanwhile.
            if let Some((seq, items)) = queue.pop() {
                ready.insert(seq, items.into_iter().map(work).collect());
                continue;
            }
            wait_done(&mut ready, &done_rx);
        }
    })
}

/// The chunks read and not yet taken by a worker, shared by the workers and the calling
/// thread; closed when the calling thread is done.
struct Queue<T> {
    state: Mutex<Queued<T>>,
    filled: Condvar,
}

/// The chunks waiting for a worker, each with its sequence number, and whether the calling
/// thread is done (the workers then stop).
struct Queued<T> {
    chunks: VecDeque<(u64, Vec<T>)>,
    closed: bool,
}

impl<T> Queue<T> {
    fn new() -> Queue<T> {
        Queue {
            state: Mutex::new(Queued {
                chunks: VecDeque::new(),
                closed: false,
            }),
            filled: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queued<T>> {
        // A worker that panicked did so outside the lock; the queue's state stays whole.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, seq: u64, items: Vec<T>) {
        self.lock().chunks.push_back((seq, items));
        self.filled.notify_one();
    }

    /// The oldest queued chunk, without waiting.
    fn pop(&self) -> Option<(u64, Vec<T>)> {
        self.lock().chunks.pop_front()
    }

    /// The oldest queued chunk, waiting for one; None once the queue is closed.
    fn pop_waiting(&self) -> Option<(u64, Vec<T>)> {
        let mut state = self.lock();
        loop {
            if state.closed {
                return None;
            }
            if let Some(chunk) = state.chunks.pop_front() {
                return Some(chunk);
            }
            state = self.filled.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Lets the workers go, with the chunks still queued.
    fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        state.chunks.clear();
        drop(state);
        self.filled.notify_all();
    }
}

/// Closes the queue when dropped.
struct Closing<'q, T>(&'q Queue<T>);

impl<T> Drop for Closing<'_, T> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// A worker: converts each chunk it takes from the queue and reports it, or the panic that
/// stopped it.
fn convert_chunks<T, R>(
    queue: &Queue<T>,
    work: &(impl Fn(T) -> R + Sync),
    done: mpsc::Sender<Done<R>>,
) {
    while let Some((seq, items)) = queue.pop_waiting() {
        let converted = panic::catch_unwind(AssertUnwindSafe(|| {
            items.into_iter().map(work).collect::<Vec<R>>()
        }));
        let failed = converted.is_err();
        if done.send((seq, converted)).is_err() || failed {
            break;
        }
    }
}

/// Up to `chunk_len` items from `next`; sets `read_all` when it has no more.
fn read_chunk<T, E>(
    next: &mut impl FnMut() -> Result<Option<T>, E>,
    chunk_len: usize,
    read_all: &mut bool,
) -> Result<Vec<T>, E> {
    let mut items = Vec::with_capacity(chunk_len);
    while items.len() < chunk_len {
        match next()? {
            Some(item) => items.push(item),
            None => {
                *read_all = true;
                break;
            }
        }
    }
    Ok(items)
}

/// Moves the chunks the workers reported into `ready`, without waiting; a panic a worker met
/// is raised again here.
fn collect_done<R>(ready: &mut BTreeMap<u64, Vec<R>>, done: &mpsc::Receiver<Done<R>>) {
    while let Ok(report) = done.try_recv() {
        file(ready, report);
    }
}

/// Waits for the next chunk a worker reports.
fn wait_done<R>(ready: &mut BTreeMap<u64, Vec<R>>, done: &mpsc::Receiver<Done<R>>) {
    match done.recv() {
        Ok(report) => file(ready, report),
        Err(mpsc::RecvError) => unreachable!("a chunk being converted is always reported"),
    }
}

fn file<R>(ready: &mut BTreeMap<u64, Vec<R>>, (seq, result): Done<R>) {
    match result {
        Ok(chunk) => {
            ready.insert(seq, chunk);
        }
        Err(payload) => panic::resume_unwind(payload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        workers: usize,
        chunk: usize,
        n: u32,
        fail_read_at: Option<u32>,
        fail_take_at: Option<u32>,
    ) -> (Result<(), String>, Vec<u32>, u32) {
        let mut read = 0u32;
        let mut seen = Vec::new();
        let result = ordered_map(
            workers,
            chunk,
            || {
                if Some(read) == fail_read_at {
                    return Err(format!("read {read}"));
                }
                if read == n {
                    return Ok(None);
                }
                read += 1;
                Ok(Some(read - 1))
            },
            |x| {
                // Later items finish first, so order comes from the sequence numbers.
                if x % 7 == 0 {
                    std::thread::yield_now();
                }
                x * 2
            },
            |y| {
                if Some(y / 2) == fail_take_at {
                    return Err(format!("take {}", y / 2));
                }
                seen.push(y / 2);
                Ok(())
            },
        );
        (result, seen, read)
    }

    #[test]
    fn results_come_back_in_the_order_read_whatever_the_workers_and_chunks() {
        for workers in [0, 1, 2, 3, 8] {
            for chunk in [1, 2, 5, 1024] {
                for n in [0, 1, 4, 5, 6, 1000] {
                    let (result, seen, _) = run(workers, chunk, n, None, None);
                    assert_eq!(result, Ok(()));
                    assert_eq!(seen, (0..n).collect::<Vec<_>>(), "{workers}/{chunk}/{n}");
                }
            }
        }
    }

    #[test]
    fn a_read_error_stops_the_run_after_the_rows_before_it() {
        for workers in [0, 2] {
            let (result, seen, read) = run(workers, 3, 100, Some(10), None);
            assert_eq!(result, Err("read 10".to_string()));
            assert_eq!(read, 10);
            // Rows read before the error were never taken out of order or twice.
            assert!(seen.iter().enumerate().all(|(i, &x)| x == i as u32));
        }
    }

    #[test]
    fn a_take_error_stops_reading_soon_after() {
        let (result, seen, read) = run(2, 4, 100_000, None, Some(9));
        assert_eq!(result, Err("take 9".to_string()));
        assert_eq!(seen, (0..9).collect::<Vec<_>>());
        // At most the chunks in flight (seven of four rows with two workers) were read past
        // the failing row's chunk.
        assert!(read < 9 + 7 * 4 + 4, "read {read}");
    }

    #[test]
    fn a_panic_while_converting_reaches_the_caller() {
        let caught = panic::catch_unwind(|| {
            let mut n = 0u32;
            ordered_map(
                2,
                3,
                || {
                    n += 1;
                    Ok::<_, ()>((n <= 50).then_some(n))
                },
                |x| {
                    assert!(x != 20, "row twenty");
                    x
                },
                |_| Ok(()),
            )
        });
        let payload = caught.expect_err("the panic is raised again");
        let message = payload.downcast_ref::<&str>().copied().unwrap_or("");
        assert_eq!(message, "row twenty");
    }

    #[test]
    fn a_panic_on_whichever_thread_converts_stops_every_thread() {
        // Every row panics, so the calling thread meets one too when it helps; the run must
        // still end (no worker left waiting on the queue) with the panic raised.
        for workers in [1, 3] {
            let caught = panic::catch_unwind(|| {
                let mut n = 0u32;
                ordered_map(
                    workers,
                    2,
                    || {
                        n += 1;
                        Ok::<_, ()>((n <= 500).then_some(n))
                    },
                    |_: u32| -> u32 { panic!("every row") },
                    |_| Ok(()),
                )
            });
            let payload = caught.expect_err("the panic is raised again");
            let message = payload.downcast_ref::<&str>().copied().unwrap_or("");
            assert_eq!(message, "every row");
        }
    }
}
