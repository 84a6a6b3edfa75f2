// Converts dbus-next's wire values (Variant wrappers, BigInt, Buffers) into plain JSON-safe values.

interface VariantLike {
  signature: string;
  value: unknown;
}

function isVariant(value: unknown): value is VariantLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    value.constructor?.name === 'Variant' &&
    'signature' in value &&
    'value' in value
  );
}

/** 64-bit integers become numbers when exact, decimal strings otherwise; byte arrays become number arrays. */
export function plainValue(value: unknown): unknown {
  if (isVariant(value)) return plainValue(value.value);
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Buffer.isBuffer(value)) return [...value];
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = plainValue(inner);
    return out;
  }
  return value;
}
