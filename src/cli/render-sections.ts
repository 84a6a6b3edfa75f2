// Human rendering of plugin sections as an indented tree (what `query` prints on a terminal).

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (typeof value === 'string')
    return /^[\w./:@+-]+$/.test(value) && value !== '' ? value : JSON.stringify(value);
  return String(value);
}

function renderValue(value: unknown, indent: string, lines: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    for (const item of value) {
      if (isPlainObject(item) || Array.isArray(item)) {
        lines.push(`${indent}-`);
        renderValue(item, `${indent}  `, lines);
      } else {
        lines.push(`${indent}- ${scalar(item)}`);
      }
    }
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (
        (isPlainObject(inner) && Object.keys(inner).length === 0) ||
        (Array.isArray(inner) && inner.length === 0)
      ) {
        lines.push(`${indent}${key}: ${Array.isArray(inner) ? '[]' : '{}'}`);
      } else if (isPlainObject(inner) || Array.isArray(inner)) {
        lines.push(`${indent}${key}:`);
        renderValue(inner, `${indent}  `, lines);
      } else if (typeof inner === 'string' && inner.includes('\n')) {
        lines.push(`${indent}${key}: |`);
        for (const textLine of inner.replace(/\n$/, '').split('\n')) lines.push(`${indent}  ${textLine}`);
      } else {
        lines.push(`${indent}${key}: ${scalar(inner)}`);
      }
    }
    return;
  }
  lines.push(`${indent}${scalar(value)}`);
}

export function renderSections(
  sections: Record<string, unknown>,
  unavailable: { plugin: string; reason: string }[],
): string {
  const lines: string[] = [];
  for (const [name, section] of Object.entries(sections)) {
    lines.push(`== ${name} ==`);
    renderValue(section, '  ', lines);
    lines.push('');
  }
  for (const { plugin, reason } of unavailable) lines.push(`== ${plugin} == unavailable: ${reason}`);
  return `${lines.join('\n')}\n`;
}
