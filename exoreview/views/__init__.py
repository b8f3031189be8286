"""What a reviewer reads and exports: figures, quality plots, tables, the PRISMA diagram and
writing files. Pure functions of an Evidence (or of appraisal and screening results)."""
