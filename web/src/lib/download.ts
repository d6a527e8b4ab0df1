// A file the page made (a CSV, a workbook) handed to the browser as a download.
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function download(content: string | Uint8Array, name: string, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}
