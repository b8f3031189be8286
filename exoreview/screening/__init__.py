"""From search exports to study files: readers, tag suggestions, de-duplication, import batches,
the screening log, study drafts and PRISMA counts. Builds on :mod:`exoreview.core`."""
