export function requireRootMessage(): string | undefined;
