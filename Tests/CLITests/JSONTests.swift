import XCTest

@testable import rewasm

/// The CLI's own JSON parser (Sources/rewasm/Support/JSON.swift), which reads the spec
/// scripts of wast2json and wasm-tools.
final class JSONTests: XCTestCase {
    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> JSON {
        do {
            return try JSON.parse(text)
        } catch {
            XCTFail("\(text): \(error)", file: file, line: line)
            throw error
        }
    }

    /// The error for `bytes`, which must not parse.
    private func failure(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> JSONError? {
        do {
            let v = try JSON.parse(bytes)
            XCTFail("\(bytes) parsed as \(v)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private func failure(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONError? {
        failure(Array(text.utf8), file: file, line: line)
    }

    func testValues() throws {
        XCTAssertEqual(try parse("null"), .null)
        XCTAssertEqual(try parse(" true "), .bool(true))
        XCTAssertEqual(try parse("\t\r\nfalse\n"), .bool(false))
        XCTAssertEqual(try parse(#""abc""#), .string("abc"))
        XCTAssertEqual(try parse("[]"), .array([]))
        XCTAssertEqual(try parse("{}"), .object([]))
        XCTAssertEqual(try parse(#"[1, "a", [null], {"k": false}]"#), .array([
            .number("1"), .string("a"), .array([.null]), .object([JSON.Member(key: "k", value: .bool(false))]),
        ]))
    }

    func testObjectsKeepKeyOrderAndLookUp() throws {
        let v = try parse(#"{"type": "module", "line": 12, "filename": "a.0.wasm", "args": [{"type": "i32"}]}"#)
        guard case .object(let members) = v else { return XCTFail("\(v)") }
        XCTAssertEqual(members.map(\.key), ["type", "line", "filename", "args"])
        XCTAssertEqual(v["type"]?.stringValue, "module")
        XCTAssertEqual(v["line"]?.intValue, 12)
        XCTAssertEqual(v["args"]?.arrayValue?.first?["type"], .string("i32"))
        XCTAssertNil(v["missing"])
        XCTAssertNil(v["line"]?.stringValue, "a number is not a string")
        XCTAssertNil(JSON.array([])["type"], "only objects have members")
    }

    func testNumbersKeepTheirText() throws {
        for text in ["0", "-0", "7", "-12", "18446744073709551615", "340282366920938463463374607431768211456",
                     "1.5", "-0.000001", "1e10", "1E+2", "2.5e-3", "123456789012345678901234567890.5e-300"] {
            XCTAssertEqual(try parse(text), .number(text))
            XCTAssertEqual(try parse("[\(text)]"), .array([.number(text)]))
        }
        XCTAssertEqual(try parse("18446744073709551615").intValue, nil, "beyond Int: text only")
        XCTAssertEqual(try parse("-9223372036854775808").intValue, Int.min)
        XCTAssertEqual(try parse("1.0").intValue, nil)
        // Strings that look like numbers (wast2json's values) stay strings.
        XCTAssertEqual(try parse(#"{"value": "nan:canonical"}"#)["value"], .string("nan:canonical"))
    }

    func testEscapes() throws {
        XCTAssertEqual(try parse(#""\" \\ \/ \b \f \n \r \t""#), .string("\" \\ / \u{8} \u{C} \n \r \t"))
        XCTAssertEqual(try parse(#""\u0041\u00e9\u4E2D\u0000""#), .string("A\u{E9}\u{4E2D}\u{0}"))
        XCTAssertEqual(try parse(#""a\u0000b""#).stringValue?.utf8.count, 3, "NUL kept inside")
        XCTAssertEqual(try parse(#""\ufeff""#), .string("\u{FEFF}"))
    }

    func testSurrogatePairs() throws {
        XCTAssertEqual(try parse(#""\ud83d\ude00""#), .string("\u{1F600}"))
        XCTAssertEqual(try parse(#""\uD800\uDC00|\uDBFF\uDFFF""#), .string("\u{10000}|\u{10FFFF}"))
        XCTAssertEqual(failure(#""\ud83d""#)?.message, "unpaired high surrogate \\ud83d")
        XCTAssertNotNil(failure(#""\ud83dx""#))
        XCTAssertNotNil(failure(#""\ud83d\n""#))
        XCTAssertNotNil(failure(#""\ud83d\u0041""#))
        XCTAssertEqual(failure(#""ab\ude00""#)?.offset, 3)
    }

    func testRawUTF8AndTheBOMAreKept() throws {
        // names.wast exports a name that is a raw U+FEFF: it must survive as it is.
        let bom = try JSON.parse([0x22, 0xEF, 0xBB, 0xBF, 0x22])
        XCTAssertEqual(bom, .string("\u{FEFF}"))
        XCTAssertEqual(bom.stringValue.map { Array($0.utf8) }, [0xEF, 0xBB, 0xBF])
        XCTAssertEqual(try parse("{\"field\": \"\u{FEFF}x\"}")["field"]?.stringValue?.unicodeScalars.first, "\u{FEFF}")
        XCTAssertEqual(try parse("\"h\u{E9}llo \u{4E2D} \u{1F600}\""), .string("h\u{E9}llo \u{4E2D} \u{1F600}"))
        // A BOM before the document is not part of it.
        XCTAssertEqual(try JSON.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)), .array([.number("1")]))
    }

    func testMalformedInputGivesTheOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "unexpected end of input"),
            ("   ", 3, "unexpected end of input"),
            ("[1,]", 3, "unexpected ']'"),
            ("[1 2]", 3, "expected ',' or ']'"),
            (#"{"a" 1}"#, 5, "expected ':'"),
            (#"{"a": 1,}"#, 8, "key"),
            ("{a: 1}", 1, "key"),
            (#"{"a": 1 "b": 2}"#, 8, "expected ',' or '}'"),
            (#"{"a": 1, "a": 2}"#, 9, "duplicate key \"a\""),
            ("[1] [2]", 4, "after the value"),
            ("nul", 0, "expected null"),
            ("True", 0, "unexpected 'T'"),
            ("01", 0, "leading zero"),
            ("-", 1, "expected a digit"),
            ("1.", 2, "decimal point"),
            (".5", 0, "unexpected '.'"),
            ("1e", 2, "exponent"),
            ("+1", 0, "unexpected '+'"),
            ("NaN", 0, "unexpected 'N'"),
            (#""abc"#, 4, "unterminated string"),
            (#""a\x""#, 2, "invalid escape '\\x'"),
            (#""\u12""#, 5, "hex digits"),
            ("\"a\tb\"", 2, "control character 0x9"),
            ("[1] // comment", 4, "after the value"),
        ]
        for (text, offset, fragment) in cases {
            guard let e = failure(text) else { continue }
            XCTAssertEqual(e.offset, offset, "\(text): \(e)")
            XCTAssertTrue(e.description.contains(fragment), "\(text): '\(fragment)' not in '\(e)'")
            XCTAssertTrue(e.description.hasPrefix("invalid JSON at byte \(offset): "), "\(e)")
        }
    }

    func testInvalidUTF8IsRefused() {
        let bad: [[UInt8]] = [
            [0x22, 0xFF, 0x22],  // never a UTF-8 byte
            [0x22, 0x80, 0x22],  // a lone continuation byte
            [0x22, 0xC3, 0x22],  // a sequence cut short
            [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // an encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x5B, 0xEF, 0xBB, 0xBF, 0x31, 0x5D],  // a BOM outside a string, not at the start
        ]
        for bytes in bad {
            guard let e = failure(bytes) else { continue }
            XCTAssertEqual(e.offset, 1, "\(bytes): \(e)")
        }
    }

    func testDeepNestingIsAnErrorNotACrash() throws {
        let ok = String(repeating: "[", count: JSON.maxDepth) + String(repeating: "]", count: JSON.maxDepth)
        XCTAssertNoThrow(try JSON.parse(ok))
        let deep = String(repeating: "[", count: 100_000)
        let e = failure(deep)
        XCTAssertEqual(e?.offset, JSON.maxDepth)
        XCTAssertTrue(e?.message.contains("nested deeper") ?? false, "\(String(describing: e))")
    }

    func testTruncatedInputNeverHangsOrCrashes() {
        // Every prefix of a document with every kind of token either parses or fails.
        let text = #"{"a": [1, -2.5e+3, true, false, null, "x\u00e9\ud83d\ude00\"y"], "b": {"c": "é"}}"#
        let bytes = Array(text.utf8)
        XCTAssertNoThrow(try JSON.parse(bytes))
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try JSON.parse(Array(bytes[..<n])), "prefix of \(n) bytes")
        }
    }

    func testDescriptionIsJSON() throws {
        let text = #"{"a": [1, "x\"\\\n\u0001"], "b": null, "c": true}"#
        let v = try parse(text)
        XCTAssertEqual(v.description, text)
        XCTAssertEqual(try JSON.parse(v.description), v)
    }
}
