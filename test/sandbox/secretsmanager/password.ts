// GenerateSecretString: Secrets Manager's random password rules (GetRandomPassword's defaults:
// 32 characters from letters, digits and punctuation, at least one of each included type).
import { randomInt } from 'node:crypto';

export interface PasswordOptions {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeLowercase?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
}

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const flag = (v: unknown) => v === true || v === 'true';

export function randomPassword(options: PasswordOptions): string {
  const length = options.PasswordLength === undefined ? 32 : Number(options.PasswordLength);
  if (!Number.isInteger(length) || length < 1 || length > 4096)
    throw new Error('PasswordLength must be between 1 and 4096');
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const classes = [
    flag(options.ExcludeLowercase) ? '' : 'abcdefghijklmnopqrstuvwxyz',
    flag(options.ExcludeUppercase) ? '' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    flag(options.ExcludeNumbers) ? '' : '0123456789',
    flag(options.ExcludePunctuation) ? '' : PUNCTUATION,
    flag(options.IncludeSpace) ? ' ' : '',
  ]
    .map((set) => [...set].filter((c) => !excluded.has(c)).join(''))
    .filter((set) => set !== '');
  if (classes.length === 0) throw new Error('No characters are left to generate a password from');
  const all = classes.join('');
  const requireEach = options.RequireEachIncludedType === undefined || flag(options.RequireEachIncludedType);
  const chars = Array.from({ length }, () => all[randomInt(all.length)]);
  if (requireEach && length >= classes.length) {
    // Put one character of each class at distinct random positions.
    const positions = new Set<number>();
    while (positions.size < classes.length) positions.add(randomInt(length));
    [...positions].forEach((pos, i) => (chars[pos] = classes[i][randomInt(classes[i].length)]));
  }
  return chars.join('');
}
