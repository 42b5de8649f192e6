// Tests for the Java → JavaScript pattern translation. Every construct has a hand-written example whose results
// were checked against java.util.regex (JDK 17, Pattern.compile(p).matcher(s).find(), as everit calls it); the
// official bundle's patterns must all translate, use only constructs listed here, and behave as AWS's do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { compileJavaPattern, JavaPatternError, translateJavaPattern } from './java-regex.js';
import { OFFICIAL_BUNDLE as OFFICIAL_ZIP, skipIfMissing } from '../../test/support/prerequisites.js';

const find = (pattern: string, s: string) => compileJavaPattern(pattern).test(s);

/** Construct (as TranslatedPattern.constructs names it) → [Java example, strings find() accepts, strings it rejects]. */
const CONSTRUCTS: Record<string, [pattern: string, accepted: string[], rejected: string[]]> = {
  '^': ['^ab', ['abc'], ['cab']],
  '$': ['^ab$', ['ab', 'ab\n', 'ab\r\n', 'ab\r', 'ab\u0085'], ['abc', 'ab\n\n', 'ab\n\r']],
  '.': ['^a.c$', ['abc', 'a😀c', 'a\u000bc'], ['a\nc', 'a\rc', 'a\u0085c', 'a\u2028c']],
  '\\A': ['\\Aab', ['abc'], ['cab']],
  '\\z': ['ab\\z', ['ab'], ['ab\n']],
  '\\Z': ['^[a-z]{1,3}\\Z', ['ab', 'ab\n', 'ab\r\n'], ['abcd', 'a b', 'ab\n\n']],
  '\\G': ['\\Gab', ['abc'], ['cab']],
  '\\b': ['\\bfoo\\b', ['a foo b', 'foo'], ['afoob', 'éfoo']],
  '\\B': ['\\Bfoo', ['afoo'], ['foo', 'a foo']],
  '(?s)': ['(?s)^a.c$', ['a\nc', 'a\u0085c'], ['ac']],
  '(?i)': ['(?i)^abc$', ['ABC', 'aBc'], ['abd', 'ÀBC']],
  'inline flags mid-pattern': ['^(?!(?i)aws)[A-Za-z]+$', ['abc', 'awx'], ['aws', 'AWS', 'AwsX']],
  '(?flags:…) scoped group': ['^(?i:a)b$', ['Ab', 'ab'], ['AB']],
  '(?-i)': ['(?i)^a(?-i)b$', ['Ab'], ['AB']],
  '(?m)': ['(?m)^b$', ['a\nb\nc', 'a\r\nb\r\nc'], ['ab', 'a\nbc']],
  '^ (?m)': ['(?m)^$', ['\n', 'a\n\nb'], ['', 'a\n', 'a\r\n']],
  '$ (?m)': ['(?m)a$', ['a\nb', 'a\rb'], ['ab']],
  '(?x)': ['(?x)^ a b # comment\n c $', ['abc'], ['a b c']],
  '(?d)': ['(?d)^a.c$', ['a\rc', 'abc\n'], ['abc\r', 'a\nc']],
  '(?u)': ['(?iu)^s$', ['S', 'ſ'], ['x']],
  '(?U)': ['(?U)^\\w\\d$', ['é١'], ['_x']],
  '\\d': ['^\\d$', ['7'], ['١', 'a']],
  '\\D': ['^\\D$', ['a', '١'], ['7']],
  '\\s': ['^\\s$', [' ', '\t', '\u000b'], ['\u00a0', '\u2028']],
  '\\S': ['^\\S$', ['a', '\u00a0'], [' ', '\f']],
  '\\w': ['^\\w+$', ['a_1'], ['é', 'a-b']],
  '\\W': ['^\\W$', ['é', '-'], ['_']],
  '\\h': ['^\\h$', [' ', '\u00a0', '\u3000'], ['\n']],
  '\\H': ['^\\H$', ['a', '\n'], [' ']],
  '\\v': ['^\\v$', ['\n', '\u000b', '\u2028'], [' ']],
  '\\V': ['^\\V$', ['a'], ['\r']],
  '\\R': ['^a\\Rb$', ['a\r\nb', 'a\u0085b'], ['a\r\rb', 'ab']],
  '\\X': ['^\\X$', ['e\u0301', 'a'], ['ab']],
  '\\Q…\\E': ['^\\Qa.b(\\E$', ['a.b('], ['axb(']],
  '\\p{Alpha}': ['^\\p{Alpha}+$', ['abcXYZ'], ['é', '1']],
  '\\p{Alnum}': ['^\\p{Alnum}$', ['a', '1'], ['_', 'é']],
  '\\p{Graph}': ['^\\p{Graph}+$', ['a!~'], ['a b', 'é']],
  '\\p{Print}': ['^\\p{Print}+$', ['a b~'], ['é', '\t']],
  '\\p{Punct}': ['^\\p{Punct}+$', ['!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'], ['a', '¡']],
  '\\p{Lower}': ['^\\p{Lower}$', ['a'], ['A', 'é']],
  '\\p{Upper}': ['^\\p{Upper}$', ['A'], ['a', 'É']],
  '\\p{Digit}': ['^\\p{Digit}$', ['1'], ['١']],
  '\\p{XDigit}': ['^\\p{XDigit}+$', ['09afAF'], ['g']],
  '\\p{Space}': ['^\\p{Space}$', [' ', '\u000b'], ['\u00a0']],
  '\\p{ASCII}': ['^\\p{ASCII}+$', ['a\u007f'], ['é']],
  '\\p{Cntrl}': ['^\\p{Cntrl}$', ['\u0000', '\u007f'], ['\u0085', 'a']],
  '\\p{Blank}': ['^\\p{Blank}$', [' ', '\t'], ['\n']],
  '\\p{L}': ['^\\p{L}+$', ['aé中'], ['1', '_']],
  '\\P{L}': ['^\\P{L}$', ['1'], ['a']],
  '\\p{N}': ['^\\p{N}+$', ['1١Ⅻ'], ['a']],
  '\\p{Z}': ['^\\p{Z}$', [' ', '\u00a0', '\u2028'], ['\t']],
  '\\p{Zs}': ['^\\p{Zs}$', [' ', '\u3000'], ['\u2028']],
  '\\p{M}': ['^a\\p{M}$', ['a\u0301'], ['ab']],
  '\\p{P}': ['^\\p{P}+$', ['!¡'], ['$']],
  '\\p{S}': ['^\\p{S}+$', ['$+'], ['!']],
  '\\p{C}': ['^\\p{C}$', ['\u0000', '\u200b'], ['a']],
  '\\P{C}': ['^\\P{C}+$', ['ab c'], ['\u0000']],
  '\\p{IsAlphabetic}': ['^\\p{IsAlphabetic}+$', ['aⅫ'], ['1']],
  '\\p{IsLatin}': ['^\\p{IsLatin}+$', ['abé'], ['中']],
  '\\p{javaLowerCase}': ['^\\p{javaLowerCase}$', ['a', 'ª'], ['A']],
  '\\p{javaWhitespace}': ['^\\p{javaWhitespace}$', [' ', '\u001c'], ['\u00a0', '\u2007']],
  'negated class': ['^[^a-c]$', ['d'], ['b']],
  'nested class (union)': ['^[a[0-9]]+$', ['a1'], ['b']],
  'class intersection &&': ['^[a-z&&[^aeiou]]+$', ['bcd'], ['abc']],
  '] first in class (literal)': ['^[]a]+$', [']a'], ['b']],
  '- after a class escape (literal)': ['^[\\p{L}\\p{Z}-_]+$', ['a-_ b'], ['a+']],
  'escaped punctuation': ['^\\.\\/\\(\\)[\\-\\]]+$', ['./()-]'], ['x/()-']],
  'escaped punctuation JS rejects (\\_ \\: \\-)': ['^\\_\\:\\-\\@\\#\\"$', ['_:-@#"'], ['_:-@#']],
  'dangling ] (literal)': ['^a]$', ['a]'], ['a']],
  'dangling } (literal)': ['^\\{a}$', ['{a}'], ['{a']],
  '\\xhh': ['^\\x41$', ['A'], ['a']],
  '\\x{h…h}': ['^\\x{1F600}$', ['😀'], ['\ud83d']],
  '\\uXXXX': ['^\\u0041$', ['A'], ['a']],
  '\\uXXXX\\uXXXX surrogate pair': ['^[\\uD83D\\uDE00]$', ['😀'], ['\ud83d', '\ude00']],
  'lone surrogate': ['^[\\uD800-\\uDFFF]$', ['\ud800', '\udfff'], ['😀', 'a']],
  'supplementary code point': ['^[😀-😂]$', ['😁'], ['a', '\ud83d']],
  '\\0 octal': ['^\\0101\\07$', ['A\u0007'], ['A7']],
  '\\a \\e \\cX': ['^\\a\\e\\cA$', ['\u0007\u001b\u0001'], ['ae']],
  'lazy quantifier': ['^a+?b??c*?$', ['aac'], ['abbc']],
  'possessive quantifier': ['^a*+a$', [], ['a', 'aa']],
  'atomic group (?>…)': ['^(?>a|ab)c$', ['ac'], ['abc']],
  'quantifier without atom': ['^[a-z]+{1,3}$', ['abcdefgh'], ['ab1']],
  'quantified assertion': ['^a${1,3}', ['a', 'a\n'], ['ab']],
  'lookahead': ['^(?!x)[a-z]$', ['a'], ['x']],
  'lookbehind': ['^[a-z]+(?<!x)$', ['ab'], ['ax']],
  'named group': ['^(?<n>a|b)\\k<n>$', ['aa', 'bb'], ['ab']],
  'backreference': ['^(a|b)\\1$', ['aa', 'bb'], ['ab']],
};

test('each construct: the example uses it, and matches exactly what java.util.regex matches', () => {
  for (const [construct, [pattern, accepted, rejected]] of Object.entries(CONSTRUCTS)) {
    const t = translateJavaPattern(pattern);
    assert.ok(t.constructs.includes(construct), `${pattern} should use ${construct} (found ${t.constructs.join(', ')})`);
    for (const s of accepted) assert.ok(find(pattern, s), `${construct}: ${pattern} should find ${JSON.stringify(s)} (source ${t.source})`);
    for (const s of rejected) assert.ok(!find(pattern, s), `${construct}: ${pattern} should not find ${JSON.stringify(s)} (source ${t.source})`);
  }
});

test('translations use the u flag only: no JS flag stands for a Java inline flag', () => {
  for (const pattern of ['(?i)a', '(?s).', '(?m)^a$', 'a']) assert.equal(translateJavaPattern(pattern).flags, 'u');
  assert.equal(translateJavaPattern('^ab$').source, '^ab(?=(?:\\r\\n|(?<!\\r)\\n|[\\r\\u{85}\\u{2028}\\u{2029}])?$)');
  assert.equal(translateJavaPattern('(?i)a[b-d]').source, '[Aa][B-Db-d]');
});

test('patterns java.util.regex rejects throw JavaPatternError with its reason', () => {
  const rejected: Array<[string, RegExp]> = [
    ['*a', /Dangling meta character '\*'/], ['a**', /Dangling meta character/], ['{a}', /Illegal repetition/],
    ['a{x}', /Illegal repetition/], ['a{2,1}', /Illegal repetition range/], ['a{1, 2}', /Unclosed counted closure/],
    ['[a', /Unclosed character class/], ['(a', /Unclosed group/], ['a)', /Unmatched closing '\)'/],
    ['(?q)a', /Unknown inline modifier/], ['\\y', /Illegal\/unsupported escape sequence/], ['[\\b]', /Illegal\/unsupported escape/],
    ['[z-a]', /Illegal character range/], ['\\p{Nope}', /Unknown character property name/], ['\\x4', /Illegal hexadecimal/],
    ['\\u12', /Illegal Unicode escape/], ['\\k<nope>', /does not exist/], ['(?<1a>x)', /Latin letter/],
  ];
  for (const [pattern, reason] of rejected) {
    assert.throws(() => translateJavaPattern(pattern), (err: unknown) => err instanceof JavaPatternError && reason.test(err.message), pattern);
  }
});

test('unsupported Java constructs are errors, not silent mismatches', () => {
  // JavaScript has no Unicode block property; a table of blocks is not worth it while no schema uses one.
  assert.throws(() => compileJavaPattern('\\p{InGreek}'), /Unicode blocks/);
  assert.throws(() => compileJavaPattern('\\p{block=Greek}'), /Unicode blocks/);
  assert.throws(() => compileJavaPattern('\\N{LATIN SMALL LETTER A}'), /not supported/);
});

test('approximations are reported, and the one known divergence is pinned', () => {
  assert.deepEqual(translateJavaPattern('^[a-z]+$').approximations, []);
  assert.match(translateJavaPattern('\\bx').approximations.join(), /word characters/);
  assert.match(translateJavaPattern('(a)\\1').approximations.join(), /did not participate/);
  // Java: a backreference to a group that did not match fails; JavaScript matches it as empty.
  assert.equal(find('(a)|\\1b', 'b'), true);
});

test('compileJavaPattern caches one RegExp per pattern and rethrows the same error', () => {
  assert.equal(compileJavaPattern('^cache-me$'), compileJavaPattern('^cache-me$'));
  const first = (() => { try { compileJavaPattern('[oops'); } catch (e) { return e; } })();
  const second = (() => { try { compileJavaPattern('[oops'); } catch (e) { return e; } })();
  assert.ok(first instanceof JavaPatternError);
  assert.equal(first, second);
});

test('(?iu) uses Unicode simple case folding; (?i) alone is ASCII-only, as in Java', () => {
  assert.ok(!find('(?i)^é$', 'É'));
  assert.ok(find('(?iu)^é$', 'É'));
  assert.ok(find('(?iu)^[k]$', '\u212a')); // KELVIN SIGN lower-cases to k
  assert.ok(!find('(?i)^[k]$', '\u212a'));
});

// --- The official bundle ---------------------------------------------------------------------------------------

/**
 * Patterns no translation can reproduce, with the reason. Empty: every pattern of the bundle translates. A new
 * bundle that brings one fails the test below until it is listed here (or supported).
 */
const UNTRANSLATABLE: Record<string, string> = {};

/** Every `pattern` and `patternProperties` key in a schema, with where it is ("AWS::X::Y/properties/P/pattern"). */
function collectPatterns(node: unknown, where: string, out: Map<string, string[]>): void {
  if (Array.isArray(node)) return node.forEach((item, i) => collectPatterns(item, `${where}/${i}`, out));
  if (!node || typeof node !== 'object') return;
  const add = (p: string, at: string) => out.set(p, [...(out.get(p) ?? []), at]);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') add(value, `${where}/pattern`);
    if ((key === 'properties' || key === 'definitions' || key === 'patternProperties') && value && typeof value === 'object') {
      for (const [name, sub] of Object.entries(value)) {
        if (key === 'patternProperties') add(name, `${where}/patternProperties key`);
        collectPatterns(sub, `${where}/${key}/${name}`, out);
      }
    } else if (typeof value === 'object') {
      collectPatterns(value, `${where}/${key}`, out);
    }
  }
}

test('the official bundle\'s patterns', { skip: skipIfMissing('bundle') }, async (t) => {
  const schemas = new Map<string, Record<string, unknown>>();
  for (const entry of new AdmZip(OFFICIAL_ZIP).getEntries()) {
    if (!entry.entryName.endsWith('.json')) continue;
    const schema = JSON.parse(entry.getData().toString('utf8')) as { typeName: string };
    schemas.set(schema.typeName, schema);
  }
  const patterns = new Map<string, string[]>();
  for (const [typeName, schema] of schemas) collectPatterns(schema, typeName, patterns);
  const at = (typeName: string, ...path: string[]) => {
    let node: unknown = schemas.get(typeName);
    for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
    assert.equal(typeof node, 'string', `${typeName} ${path.join('/')}`);
    return node as string;
  };

  await t.test('every pattern translates to a RegExp (no match-all fallback), except the listed ones', () => {
    const failing: Record<string, string> = {};
    for (const pattern of patterns.keys()) {
      try {
        assert.ok(compileJavaPattern(pattern) instanceof RegExp);
      } catch (err) {
        failing[pattern] = (err as Error).message;
      }
    }
    t.diagnostic(`${patterns.size} distinct patterns, ${[...patterns.values()].reduce((n, w) => n + w.length, 0)} uses, in ${schemas.size} schemas`);
    assert.deepEqual(Object.keys(failing).sort(), Object.keys(UNTRANSLATABLE).sort(), JSON.stringify(failing, null, 1));
    assert.ok(patterns.size > 2000, `only ${patterns.size} patterns found`);
  });

  await t.test('inventory: every construct the bundle uses is one this file checks', () => {
    const uses = new Map<string, { count: number; example: string }>();
    for (const [pattern, where] of patterns) {
      for (const c of translateJavaPattern(pattern).constructs) {
        const u = uses.get(c) ?? { count: 0, example: pattern };
        u.count += where.length;
        uses.set(c, u);
      }
    }
    for (const [c, u] of [...uses].sort((a, b) => b[1].count - a[1].count)) t.diagnostic(`${String(u.count).padStart(5)}  ${c.padEnd(42)} e.g. ${u.example.slice(0, 90)}`);
    const unchecked = [...uses.keys()].filter((c) => !(c in CONSTRUCTS));
    assert.deepEqual(unchecked, [], 'constructs used by the bundle without an example above');
    for (const expected of ['\\Z', '\\A', '\\z', '(?s)', '(?i)', 'inline flags mid-pattern', 'quantifier without atom', '\\p{Graph}']) {
      assert.ok(uses.has(expected), `the bundle no longer uses ${expected}?`);
    }
  });

  await t.test('real patterns behave as java.util.regex does', () => {
    const logGroupName = at('AWS::Logs::LogGroup', 'properties', 'LogGroupName', 'pattern');
    assert.ok(find(logGroupName, 'a/b'));
    assert.ok(find(logGroupName, '/aws/lambda/my-fn_1.#'));
    assert.ok(!find(logGroupName, 'a b'));
    assert.ok(!find(logGroupName, 'x'.repeat(513)));
    assert.ok(find(logGroupName, 'abc\n'), '\\Z also matches before a final line terminator');

    const hookAlias = at('AWS::CloudFormation::GuardHook', 'properties', 'Alias', 'pattern');
    assert.ok(find(hookAlias, 'My::Guard::Hook'));
    assert.ok(!find(hookAlias, 'AWS::Guard::Hook'), 'the (?i) inside the lookahead');
    assert.ok(!find(hookAlias, 'Aws::Guard::Hook'));

    // `*{1,1000}` / `+{1,255}`: Java repeats an empty atom, so there is no length limit.
    const domainUrl = at('AWS::FinSpace::Environment', 'properties', 'SageMakerStudioDomainUrl', 'pattern');
    assert.ok(find(domainUrl, 'a'.repeat(1500)));
    assert.ok(!find(domainUrl, 'a b'));
    const headerName = at('AWS::WAFv2::RuleGroup', 'definitions', 'ForwardedIPConfiguration', 'properties', 'HeaderName', 'pattern');
    assert.ok(find(headerName, 'X-Forwarded-For'));
    assert.ok(find(headerName, 'x'.repeat(300)));
    assert.ok(!find(headerName, 'X_Forwarded'));

    const keyId = at('AWS::KinesisAnalyticsV2::Application', 'definitions', 'ApplicationEncryptionConfiguration', 'properties', 'KeyId', 'pattern');
    assert.ok(find(keyId, '1234ABCD-12ab-34cd-56ef-1234567890AB'), '(?i) in the last alternative');
    assert.ok(find(keyId, 'alias/my-key'));
    assert.ok(!find(keyId, 'ALIAS/my-key'), '(?i) does not reach back into earlier alternatives');

    assert.ok(find(at('AWS::Amplify::App', 'properties', 'AppName', 'pattern'), 'line one\nline two'), '(?s)');
    assert.ok(!find(at('AWS::Amplify::App', 'properties', 'AppName', 'pattern'), ''));

    const keyword = at('AWS::SMSVOICE::PhoneNumber', 'definitions', 'OptionalKeyword', 'properties', 'Keyword', 'pattern');
    assert.ok(!find(keyword, 'STOP'));
    assert.ok(!find(keyword, 'Help'));
    assert.ok(find(keyword, 'STOPS'));

    const invoiceUnit = at('AWS::Invoicing::InvoiceUnit', 'definitions', 'Name', 'pattern');
    assert.ok(find(invoiceUnit, 'Unit-A_1 b'), '[\\p{Z}-_]: a literal - and _, not a range');
    assert.ok(!find(invoiceUnit, ' lead'));
    assert.ok(!find(invoiceUnit, 'trail '));
    assert.ok(!find(invoiceUnit, 'a+b'));

    const ipv4 = at('AWS::DataSync::LocationSMB', 'properties', 'DnsIpAddresses', 'items', 'pattern');
    assert.ok(find(ipv4, '10.0.0.255'));
    assert.ok(!find(ipv4, '10.0.0.256'));
    assert.ok(!find(ipv4, '10.0.0.1\n'), '\\z is the very end');

    const description = at('AWS::IoT::ThingType', 'properties', 'ThingTypeProperties', 'properties', 'ThingTypeDescription', 'pattern');
    assert.ok(find(description, 'plain ASCII ~!'));
    assert.ok(compileJavaPattern(`^(?:${description})$`).test('plain ASCII ~!'));
    assert.ok(!compileJavaPattern(`^(?:${description})$`).test('no é'), '\\p{Graph} is US-ASCII in Java');

    const metadataKeys = Object.keys(
      (schemas.get('AWS::SageMaker::ModelPackage') as { definitions: Record<string, { patternProperties: object }> }).definitions.CustomerMetadataProperties!.patternProperties,
    );
    assert.ok(metadataKeys.some((k) => k.endsWith('${1,128}')), 'the quantified $ is still in the bundle');
    for (const key of metadataKeys) assert.ok(find(key, 'my key:1'), key);
  });
});
