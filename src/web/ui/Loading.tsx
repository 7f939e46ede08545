// A calm loading line, announced politely to screen readers.
export function Loading({ text = 'Загрузка…' }: { text?: string }) {
  return (
    <p className="loading" role="status">
      {text}
    </p>
  );
}
