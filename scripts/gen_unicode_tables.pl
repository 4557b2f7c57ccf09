#!/usr/bin/env perl
# Writes runtime/src/unicode_tables.cpp: the Unicode data that libkeel's
# `regex` and `idn-hostname`/`idn-email` checks need, as compact sorted range
# tables. The data comes from Perl's own Unicode::UCD (perl-modules, part of
# every Debian system), so regenerating needs nothing beyond Perl. Its Unicode
# version (14.0 on Debian 12) is the one PCRE2 10.42 uses, so `\p{...}` in
# patterns and the IDNA tables agree on what a code point is.
#
# Usage: scripts/gen_unicode_tables.pl > runtime/src/unicode_tables.cpp
use strict;
use warnings;
use feature 'fc';
use Unicode::UCD qw(prop_invlist prop_invmap prop_values prop_value_aliases casefold);
use Unicode::Normalize qw(NFKC);

my $MAX = 0x10FFFF;

sub ranges_of {  # inversion list -> [[first,last],...]
  my @inv = @_;
  my @out;
  for (my $i = 0; $i < @inv; $i += 2) {
    my $last = $i + 1 < @inv ? $inv[$i + 1] - 1 : $MAX;
    push @out, [$inv[$i], $last];
  }
  return @out;
}

sub mark {  # sets $arr->[cp] = $value for every cp in the property
  my ($arr, $value, $prop) = @_;
  for my $r (ranges_of(prop_invlist($prop))) {
    $arr->[$_] = $value for $r->[0] .. $r->[1];
  }
}

sub emit_ranges {
  my ($name, $comment, @ranges) = @_;
  print "// $comment\n";
  print "const Range $name\[] = {\n";
  my $line = '';
  for my $r (@ranges) {
    my $item = sprintf('{0x%X, 0x%X},', $r->[0], $r->[1]);
    if (length($line) + length($item) + 1 > 98) { print "$line\n"; $line = ''; }
    $line .= ($line eq '' ? '    ' : ' ') . $item;
  }
  print "$line\n" if $line ne '';
  print "};\nconst std::size_t ${name}_size = sizeof($name) / sizeof($name\[0]);\n\n";
}

# A per-code-point value array -> [[first, value], ...] where each value holds
# until the next entry's first.
sub runs {
  my ($arr, $default) = @_;
  my @out;
  my $prev;
  for my $cp (0 .. $MAX) {
    my $v = $arr->[$cp] // $default;
    if (!defined $prev || $v ne $prev) { push @out, [$cp, $v]; $prev = $v; }
  }
  return @out;
}

sub emit_runs {
  my ($name, $type, $comment, @runs) = @_;
  print "// $comment\n";
  print "const $type $name\[] = {\n";
  my $line = '';
  for my $r (@runs) {
    my $item = sprintf('{0x%X, %s},', $r->[0], $r->[1]);
    if (length($line) + length($item) + 1 > 98) { print "$line\n"; $line = ''; }
    $line .= ($line eq '' ? '    ' : ' ') . $item;
  }
  print "$line\n" if $line ne '';
  print "};\nconst std::size_t ${name}_size = sizeof($name) / sizeof($name\[0]);\n\n";
}

# --- IDNA2008 derived property (RFC 5892 section 3), computed from scratch.
my @gc;
for my $v (qw(Lu Ll Lt Lm Lo Mn Mc Me Nd Nl No Pc Pd Ps Pe Pi Pf Po Sm Sc Sk So Zs Zl Zp Cc Cf Cs Co Cn)) {
  mark(\@gc, $v, "gc=$v");
}
my (%in);
for my $p (qw(Default_Ignorable_Code_Point White_Space Noncharacter_Code_Point)) {
  mark(\my @a, 1, $p);
  $in{$p} = \@a;
}
my @ignorable_block;
mark(\@ignorable_block, 1, "Block=$_")
    for qw(Combining_Diacritical_Marks_For_Symbols Musical_Symbols Ancient_Greek_Musical_Notation);
my @old_jamo;
mark(\@old_jamo, 1, "Hangul_Syllable_Type=$_") for qw(L V T);

my %exceptions = (
  (map { $_ => 'Idna::pvalid' } (0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007)),
  (map { $_ => 'Idna::contexto' } (0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB, 0x0660 .. 0x0669,
                                      0x06F0 .. 0x06F9)),
  (map { $_ => 'Idna::disallowed' } (0x0640, 0x07FA, 0x302E, 0x302F, 0x3031 .. 0x3035, 0x303B)),
);
my %letter_digits = map { $_ => 1 } qw(Ll Lu Lo Nd Lm Mn Mc);

my @idna;
for my $cp (0 .. $MAX) {
  my $g = $gc[$cp];
  my $v;
  if (exists $exceptions{$cp}) { $v = $exceptions{$cp}; }
  elsif ($g eq 'Cn' && !$in{Noncharacter_Code_Point}[$cp]) { $v = 'Idna::unassigned'; }
  elsif (($cp >= 0x61 && $cp <= 0x7A) || ($cp >= 0x30 && $cp <= 0x39) || $cp == 0x2D) { $v = 'Idna::pvalid'; }
  elsif ($cp == 0x200C || $cp == 0x200D) { $v = 'Idna::contextj'; }
  elsif ($g eq 'Cs') { $v = 'Idna::disallowed'; }
  elsif (do { my $c = chr($cp); NFKC(fc(NFKC($c))) ne $c }) { $v = 'Idna::disallowed'; }  # Unstable
  elsif ($in{Default_Ignorable_Code_Point}[$cp] || $in{White_Space}[$cp]
         || $in{Noncharacter_Code_Point}[$cp]) { $v = 'Idna::disallowed'; }
  elsif ($ignorable_block[$cp]) { $v = 'Idna::disallowed'; }
  elsif ($old_jamo[$cp]) { $v = 'Idna::disallowed'; }
  elsif ($letter_digits{$g}) { $v = 'Idna::pvalid'; }
  else { $v = 'Idna::disallowed'; }
  $idna[$cp] = $v;
}

# --- Joining_Type and Bidi_Class, for the CONTEXTJ rule and RFC 5893.
my %jt_name = (Non_Joining => 'none', Left_Joining => 'left', Right_Joining => 'right',
               Dual_Joining => 'dual', Transparent => 'transparent', Join_Causing => 'causing',
               U => 'none', L => 'left', R => 'right', D => 'dual', T => 'transparent', C => 'causing');
my @jt;
{
  my ($list, $map) = prop_invmap('Joining_Type');
  for my $i (0 .. $#$list) {
    my $last = $i < $#$list ? $list->[$i + 1] - 1 : $MAX;
    my $n = $jt_name{$map->[$i]} // die "unknown Joining_Type $map->[$i]";
    $jt[$_] = "JoiningType::$n" for $list->[$i] .. $last;
  }
}
my @bidi;
{
  my ($list, $map) = prop_invmap('Bidi_Class');
  for my $i (0 .. $#$list) {
    my $last = $i < $#$list ? $list->[$i + 1] - 1 : $MAX;
    $bidi[$_] = "Bidi::$map->[$i]" for $list->[$i] .. $last;
  }
}

# --- Characters that simple case folding (ECMA-262's Canonicalize in Unicode
# mode) makes equal to some other character.
my %fold_class;
for my $cp (0 .. $MAX) {
  next if $cp >= 0xD800 && $cp <= 0xDFFF;
  my $f = casefold($cp);
  my $target = ($f && $f->{simple} ne '') ? hex($f->{simple}) : $cp;
  push @{$fold_class{$target}}, $cp;
}
my @case_variant;
for my $members (values %fold_class) {
  next unless @$members > 1;
  $case_variant[$_] = 1 for @$members;
}
my @case_variant_ranges;
for my $cp (0 .. $MAX) {
  next unless $case_variant[$cp];
  if (@case_variant_ranges && $case_variant_ranges[-1][1] == $cp - 1) { $case_variant_ranges[-1][1] = $cp; }
  else { push @case_variant_ranges, [$cp, $cp]; }
}

# --- Output.
my $version = Unicode::UCD::UnicodeVersion();
print <<"END";
// Generated by scripts/gen_unicode_tables.pl from Perl's Unicode::UCD
// (Unicode $version). Do not edit; rerun the script instead.
// clang-format off
#include "unicode_tables.h"

namespace keel::unicode {

END

emit_ranges('id_start', 'ID_Start: first character of a regex group name.',
            ranges_of(prop_invlist('ID_Start')));
emit_ranges('id_continue', 'ID_Continue: later characters of a regex group name.',
            ranges_of(prop_invlist('ID_Continue')));
emit_ranges('changes_when_nfkc_casefolded',
            'Changes_When_NFKC_Casefolded: the one ECMA-262 binary property PCRE2 10.42 lacks.',
            ranges_of(prop_invlist('Changes_When_NFKC_Casefolded')));
emit_ranges('case_variant', 'Characters with another character of the same simple case folding.',
            @case_variant_ranges);
emit_ranges('combining_mark', 'General_Category=Mark: a label must not start with one.',
            ranges_of(prop_invlist('gc=M')));
emit_ranges('virama', 'Canonical_Combining_Class=Virama (9), for CONTEXTJ.',
            ranges_of(prop_invlist('ccc=9')));
emit_ranges('script_greek', 'Script=Greek, for CONTEXTO (KERAIA).', ranges_of(prop_invlist('Script=Greek')));
emit_ranges('script_hebrew', 'Script=Hebrew, for CONTEXTO (GERESH, GERSHAYIM).',
            ranges_of(prop_invlist('Script=Hebrew')));
emit_ranges('script_hiragana_katakana_han', 'Script in {Hiragana, Katakana, Han}, for CONTEXTO (KATAKANA MIDDLE DOT).',
            sort { $a->[0] <=> $b->[0] } map { ranges_of(prop_invlist("Script=$_")) } qw(Hiragana Katakana Han));
emit_runs('idna_classes', 'ClassRun<Idna>', 'IDNA2008 derived property values (RFC 5892 section 3).',
          runs(\@idna));
emit_runs('joining_types', 'ClassRun<JoiningType>', 'Joining_Type.', runs(\@jt));
emit_runs('bidi_classes', 'ClassRun<Bidi>', 'Bidi_Class.', runs(\@bidi));

# Script names ECMA-262 accepts after sc= / scx=: every alias from
# PropertyValueAliases.txt, mapped to the short name PCRE2 understands.
my @names;
for my $s (prop_values('Script')) {
  my @aliases = prop_value_aliases('Script', $s);
  next unless @aliases;
  push @names, [$_, $aliases[0]] for @aliases;
}
my %seen;
@names = sort { $a->[0] cmp $b->[0] } grep { !$seen{$_->[0]}++ } @names;
print "// Script and Script_Extensions value names, sorted for binary search.\n";
print "const ScriptName script_names[] = {\n";
print "    {\"$_->[0]\", \"$_->[1]\"},\n" for @names;
print "};\nconst std::size_t script_names_size = sizeof(script_names) / sizeof(script_names[0]);\n\n";

print "}  // namespace keel::unicode\n";
