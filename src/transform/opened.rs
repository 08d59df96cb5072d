//! A source opened for the export: its first rows read ahead (to compile the plan against
//! them), then the rest streamed; and the whole-file reads the plan needs before the export.

use std::collections::VecDeque;

use crate::source::{Record, SourceRef, Table};

use super::engine::ApplyError;
use super::plan::FilePlan;

/// Rows read ahead of the export to learn each column's date order and kinds.
const SAMPLE_ROWS: usize = 1000;

/// An opened source with its first rows read.
pub struct Opened {
    pub table: Table,
    head: VecDeque<Record>,
    /// True once the last row was read.
    pub exhausted: bool,
    /// Closed after its first rows were read: opened again when its rows are wanted.
    pub parked: bool,
}

impl Opened {
    /// Opens `source` and reads its first rows.
    pub fn open(source: &SourceRef) -> Result<Opened, ApplyError> {
        let mut table = Table::open_ref(source)?;
        let mut head = VecDeque::new();
        let mut exhausted = false;
        while head.len() < SAMPLE_ROWS {
            match table.next_record()? {
                Some(r) => head.push_back(r),
                None => {
                    exhausted = true;
                    break;
                }
            }
        }
        Ok(Opened {
            table,
            head,
            exhausted,
            parked: false,
        })
    }

    /// The buffered rows first, then the rest of the file.
    pub fn next_record(&mut self) -> Result<Option<Record>, ApplyError> {
        self.next_record_reusing(None)
    }

    /// [`Opened::next_record`], read into the room of `spare` when there is one.
    pub fn next_record_reusing(
        &mut self,
        spare: Option<Record>,
    ) -> Result<Option<Record>, ApplyError> {
        if let Some(r) = self.head.pop_front() {
            return Ok(Some(r));
        }
        if self.exhausted {
            return Ok(None);
        }
        let next = self.table.next_record_reusing(spare)?;
        self.exhausted = next.is_none();
        Ok(next)
    }

    /// Closes a source not read to its end, letting go of its first rows and its reader (an
    /// export of thousands of archive members would otherwise hold them all until each one's
    /// turn). A source read whole keeps its rows.
    pub fn park(&mut self) {
        if !self.exhausted {
            self.head = VecDeque::new();
            self.table.close();
            self.parked = true;
        }
    }

    /// The source as it is to be read from its first row: opened again if it was parked.
    pub fn unparked(&mut self, source: &SourceRef) -> Result<&mut Opened, ApplyError> {
        if self.parked {
            *self = Opened::open(source)?;
        }
        Ok(self)
    }

    pub fn sample(&self) -> Vec<Vec<String>> {
        self.head
            .iter()
            .map(|r| r.fields.iter().map(str::to_string).collect())
            .collect()
    }
}

/// Reads a source through to decide the decimal convention of its number and money columns
/// from all their values (the sample alone may hold no value that tells, or only one kind).
pub fn confirm_decimal_styles(source: &SourceRef, plan: &mut FilePlan) -> Result<(), ApplyError> {
    let columns = plan.decimal_columns();
    if columns.is_empty() {
        return Ok(());
    }
    let mut evidence = vec![crate::values::DecimalEvidence::default(); columns.len()];
    let mut fresh = Opened::open(source)?;
    while let Some(record) = fresh.next_record()? {
        for (e, &c) in evidence.iter_mut().zip(&columns) {
            if let Some(value) = record.fields.get(c) {
                e.add(value);
            }
        }
    }
    for (e, &c) in evidence.iter().zip(&columns) {
        plan.set_decimal_style(c, e.style());
    }
    Ok(())
}

/// The bytes a record took in its file, near enough for progress.
pub fn record_bytes(record: &Record) -> u64 {
    record.fields.as_slice().len() as u64 + record.fields.len() as u64
}

/// Records done with, kept to be read into again: a read that hands its records back once
/// taken allocates for the first few chunks only, and records are not freed on another thread
/// than the one that made them.
#[derive(Default)]
pub struct Spare(Vec<Record>);

/// Most records kept: the rows in flight between the reading and the taking of a read.
const SPARE_RECORDS: usize = 4 * super::pool::CHUNK_ROWS;

/// A record that held a bigger row than this is let go rather than kept, its room with it.
const SPARE_BYTES: usize = 64 * 1024;

impl Spare {
    /// A record to read into, if one was handed back.
    pub fn take(&mut self) -> Option<Record> {
        self.0.pop()
    }

    /// Keeps `record` to read into again.
    pub fn give(&mut self, record: Record) {
        if self.0.len() < SPARE_RECORDS && record.fields.capacity() <= SPARE_BYTES {
            self.0.push(record);
        }
    }
}
