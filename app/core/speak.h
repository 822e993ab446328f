/* Screen text -> the text a speech synthesiser (espeak-ng 1.51, plain text, no SSML) reads,
 * in the screen's language. The rules below were checked against espeak-ng 1.51's own reading
 * (its phonemes for nl, en, tr, ar, pl and uk); where espeak already reads something right the
 * text is left alone.
 *
 * Abbreviations: a table (speak.c), matched as whole tokens, case-sensitive. A token is a
 * maximal run of Latin letters (with ASCII digits) or of Cyrillic letters (with ASCII digits);
 * any other character — space, punctuation, an Arabic letter — is a boundary, so "WW-uitkering",
 * "UWV'ye" and Arabic "وWIA" match, "UWVs" and "Wia" do not. Each entry is either
 *   - spelled: its letters separated by spaces ("UWV" -> "U W V"), and espeak says each
 *     letter's name in the voice's language. Letters that espeak reads as a word when they
 *     stand alone get their name written out: "A" -> "eh" in en, ar and uk (those voices read
 *     Latin letters with the English rules, where a lone "A" is the article), "W" -> "wu" and
 *     "Z" -> "zet" in pl (a lone "w"/"z" is a preposition). In tr an apostrophe suffix after a
 *     spelled abbreviation becomes a space ("UWV'ye" -> "U W V ye"), else espeak swallows the
 *     last letter's name; or
 *   - said as a word: written the way espeak says it right ("DUO" -> "Duo", "DigiD" ->
 *     "Digi D", "WIA" -> "Wia"), possibly per language ("VAT" is spelled, in pl said "vat").
 *
 * Numbers that are not amounts: a run of ASCII digit groups joined by spaces (also no-break
 * spaces) or hyphens ("0800 0543", "088 - 898 92 95", "001 000 0012", "+31 20 123 4567") is
 * phone-like when it starts with 0 or +, or has 5 or more digits in all ("14 020"). It is read
 * digit by digit, the groups separated by ", ": "0 8 0 0, 0 5 4 3"; "+" is the language's
 * word ("plus 3 1, 2 0, ..."). Left as they are: numbers with a decimal point, comma or colon
 * ("1.500", "9.00", "17:30"), numbers directly after or before a letter ("A4", "18e"),
 * amounts (next to "€", "%", or followed by the word "euro"), dates written 14-12-2026, and
 * short numbers (years, days, weeks: "2027", "31 december", "8 weken"). Two numbers of at most
 * 4 digits joined by a hyphen or en dash are a range, read with the language's "to":
 * "2–4 weken" -> "2 tot 4 weken" (espeak would read "2 4").
 *
 * Web and e-mail addresses: "https://" and "http://" are left out; an address is a host of
 * ASCII labels with a known top-level domain (nl, com, org, net, eu, ...; any one after
 * "www.", "http(s)://" or "@"). "." is read as the language's word ("punt", "dot", "nokta",
 * "نقطة", "kropka", "крапка"), "@" as its word ("apenstaartje", "at", "et", "آت", "małpa",
 * "равлик"), "www" and a two-letter top-level domain are spelled ("w w w", "n l"), a label that
 * is an abbreviation from the table is said as one ("uwv" -> "U W V", "digid" -> "Digi D"),
 * other labels as they are. In a path "/", "-" and "_" are words; a final "/" is left out.
 *
 * Symbols: "•", "·", "→" (and similar bullets and arrows) are a pause: ", " between two pieces
 * of text, nothing at the start or end. "€" becomes the language's word after the amount
 * ("€ 1.500" -> "1.500 euro", "€ 5,-" -> "5 euro"; en "euros", "euro" for 1; tr "avro", ar
 * "يورو", uk "євро"). "%" next to a number becomes the language's word where it is said
 * ("70%" -> "70 procent"; tr "%70" -> "yüzde 70"), since espeak drops it in ar and reads it in
 * English in uk; a "%" not next to a number stays. "/" between two words (with or without
 * spaces around it) becomes a space ("Belastingdienst/Toeslagen", "miałeś/miałaś"): it joins
 * names and alternatives alike, and "or" would be wrong for a name; espeak would say "slash".
 *
 * Also: runs of white space become one space, with none at the start or end; direction marks
 * and isolates (U+200E, U+2066..U+2069, ...), soft hyphens and zero-width spaces are left out;
 * invalid UTF-8 bytes are left out. Everything else, "<" and "&" included, is passed on as it
 * is: the synthesiser gets plain text, not markup. */
#ifndef LOKET_SPEAK_H
#define LOKET_SPEAK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/lang.h"

/* Screen text -> text for the speech synthesiser: abbreviations as they are said, numbers
 * that are not amounts (phone numbers, reference numbers) digit by digit in their groups,
 * web and e-mail addresses as they are said, symbols as words or left out. Plain text out
 * (no markup). Never cuts a UTF-8 character; returns the length written (out always
 * NUL-terminated when cap > 0). A text that does not fit is cut at a character boundary: the
 * result is then the start of what a larger buffer would hold. `in` NULL is "". */
size_t speak_prepare(lang_id lang, const char *in, char *out, size_t cap);

/* Digits typed so far, one by one in groups ("06 1234 5678" -> "0 6, 1 2 3 4, 5 6 7 8").
 * Any run of characters other than digits and "+" separates groups; a "+" is kept as an item
 * of its own ("+31 6" -> "+ 3 1, 6"). Same cap and return rules as speak_prepare. */
size_t speak_digits(const char *in, char *out, size_t cap);

/* Whether `token` (exactly, case-sensitive) is in the abbreviation table, spelled or said as
 * a word. */
bool speak_is_abbreviation(const char *token);

#endif
