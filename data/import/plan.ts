// Which table each file goes to, in dependency order (customers first), refused whole when a
// file is missing, empty or names no contract table.
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isContractTable, LOAD_ORDER, type ContractTable } from '../contract.ts';
import { BearingError } from '../errors.ts';
import { rejected, type ImportFile } from './report.ts';

export interface PlannedFile {
  index: number;
  path: string;
  label: string;
  table: ContractTable;
  /** How a source's file is read and mapped (bearing sync); a plain import reads the CSV as it is. */
  mapped?: MappedRead;
}

/** A source file (or query) as text columns named after the contract's, in the file's order. */
export interface MappedRead {
  /** The contract and kept columns the relation yields. */
  columns: string[];
  /** One SELECT yielding them and `_line`, every value as text, in the file's order. */
  sql: string;
  /** The same without `_line`, in any order: a first load needs no line numbers (and numbering costs a sort). */
  fastSql: string;
  params: Record<string, string>;
}

export function plan(files: ImportFile[]): PlannedFile[] {
  if (!files.length) throw new BearingError('import-no-files', 'no files to import (expected one or more CSV files)');
  const problems: string[] = [];
  const planned = files.map((f, index) => {
    const label = f.label ?? basename(f.path);
    const table = (f.table ?? basename(label, extname(label))).trim().toLowerCase();
    if (!isContractTable(table)) {
      problems.push(
        `${label}: "${table}" is not a contract table (expected one of ${LOAD_ORDER.join(', ')}; name the file ` +
          `after its table or pass --table)`,
      );
    }
    let size = -1;
    try {
      size = statSync(f.path).size;
    } catch {
      problems.push(`${label}: file not found (${f.path})`);
    }
    if (size === 0) problems.push(`${label}:1: the file is empty (expected a header row naming the columns)`);
    return { index, path: f.path, label, table: table as ContractTable };
  });
  if (problems.length)
    throw rejected(
      problems.map((p) => ({ file: '', line: 0, column: '', value: null, problem: p })),
      problems.length,
      [],
    );
  // Dependency order: customers first, then the tables that refer to them; file order within a table.
  return planned.sort((a, b) => LOAD_ORDER.indexOf(a.table) - LOAD_ORDER.indexOf(b.table) || a.index - b.index);
}
