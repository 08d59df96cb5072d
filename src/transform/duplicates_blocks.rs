//! The duplicate search's first read of a plain file, as blocks of rows parsed on the workers
//! ([`crate::source::RowBlocks`]): the reading thread only cuts the text where rows end, so
//! the parsing that bounded this read runs beside the drafting.

use std::cell::RefCell;

use crate::dedupe::RecordBuilder;
use crate::source::{Record, RowBlocks};

use super::{Drafted, FirstReadTally, Identities, RowStarts, Search};
use crate::transform::engine::ApplyError;
use crate::transform::index_read::{Entry, IndexRead, IndexTake};
use crate::transform::pool;

/// What a worker keeps of a row of a block for the taking, in order.
struct BlockRow {
    start: u64,
    line: u64,
    drafted: Option<(usize, Drafted)>,
    /// The row's link index entry and its record, when the file is indexed as it is read.
    indexed: Option<(Entry, Record)>,
}

/// Where the first read gathers, in row order.
pub(super) struct Gathered<'t, 'i> {
    pub tally: &'t mut FirstReadTally,
    pub identities: &'t mut Identities,
    pub starts: &'t mut Option<RowStarts>,
    pub index: Option<(&'t IndexRead<'i>, &'t mut IndexTake)>,
}

impl Search<'_> {
    /// Reads `blocks` to their end: each block parsed and its rows drafted on a worker (the
    /// `wanted` columns only, or whole rows when the file is indexed for links), then taken
    /// in order as the row-by-row read takes them.
    pub(super) fn read_blocks(
        &self,
        mut blocks: RowBlocks,
        builders: &[RecordBuilder],
        wanted: &[bool],
        into: Gathered<'_, '_>,
    ) -> Result<(), ApplyError> {
        let (index_work, mut index_take) = into.index.unzip();
        let mut end = blocks.text_end();
        let mut row = 0u64;
        // The bytes of blocks done with, read into again.
        let spare = RefCell::new(Vec::new());
        pool::ordered_map(
            pool::workers(),
            1,
            || Ok::<_, ApplyError>(blocks.next_block(spare.borrow_mut().pop())?),
            |block| {
                let mut rows = Vec::new();
                let columns = index_work.is_none().then_some(wanted);
                let read = block.read(columns, |start, record| {
                    rows.push(BlockRow {
                        start,
                        line: record.line,
                        drafted: self.draft(builders, 0, record),
                        indexed: index_work.map(|read| (read.entry(record), record.clone())),
                    });
                });
                (read, rows, block.into_bytes())
            },
            |(read, rows, bytes)| {
                spare.borrow_mut().push(bytes);
                let block_end = read?;
                for taken in rows {
                    row += 1;
                    if let Some(at) = into.starts.as_mut() {
                        at.push(taken.start, taken.line);
                    }
                    if let (Some((entry, record)), Some(read), Some(index)) =
                        (taken.indexed, index_work, index_take.as_deref_mut())
                    {
                        read.take(index, &record, entry);
                    }
                    let drafted = taken.drafted.map(|(g, d)| (g, d.at_row(row)));
                    into.tally.take(into.identities, drafted);
                }
                end.take(&block_end)?;
                Ok(())
            },
        )
    }
}
