// Status in colour, icon and words: never colour alone.
const LOOK: Record<string, { icon: string; words: string }> = {
  on_course: { icon: '✔', words: 'On course' },
  drifting: { icon: '≈', words: 'Drifting' },
  off_course: { icon: '✘', words: 'Off course' },
  arrived: { icon: '★', words: 'Arrived' },
  no_signal: { icon: '?', words: 'No signal yet' },
  met: { icon: '✔', words: 'Met' },
  missed: { icon: '✘', words: 'Missed' },
};

export function statusWords(status: string): string {
  return LOOK[status]?.words ?? status;
}

export function StatusBadge({ status }: { status: string }) {
  const look = LOOK[status] ?? { icon: '•', words: status };
  return (
    <span className={`status status-${status}`} data-status={status}>
      <span aria-hidden="true">{look.icon}</span> {look.words}
    </span>
  );
}
