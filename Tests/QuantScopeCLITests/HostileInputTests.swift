import Foundation
import QuantEngine
import Testing

/// Inputs and outputs chosen to hurt (issue 9, item 5): each ends with one
/// clear line and exit 1 or 2, never a hang, a signal death or damage.
@Suite struct HostileInputTests {
    static func expectOneLine(_ state: Child.State, _ child: Child, status: Int32, mentioning needle: String, _ context: String) {
        #expect(state == .exited(status), "\(context): \(state), stderr \(child.stderr)")
        #expect(child.stderr.split(separator: "\n").count == 1, "\(context): stderr should be one line: \(child.stderr)")
        #expect(child.stderr.contains(needle), "\(context): stderr should mention \(needle): \(child.stderr)")
    }

    @Test func aFIFOAsFileIsRefusedNotWaitedOn() throws {
        let scratch = try Scratch()
        let fifo = scratch.path("weights.safetensors")
        #expect(mkfifo(fifo, 0o600) == 0)
        for arguments in [["inspect", fifo], ["stats", fifo, "--scheme", "int8"], ["export", fifo, "--tensor", "w", "--out", scratch.path("o.safetensors")]] {
            let child = try Child(arguments)
            Self.expectOneLine(child.wait(seconds: 30), child, status: 1, mentioning: "weights.safetensors: cannot open: not a regular file (a FIFO)",
                               arguments[0])
        }
    }

    /// The file is truncated by another process between mapping and reading:
    /// the child stops itself after opening (test hook), we truncate, it goes on.
    @Test func aFileTruncatedWhileMappedEndsWithOneLineNotSIGBUS() throws {
        let scratch = try Scratch()
        let path = scratch.path("shrinking.safetensors")
        try SafetensorsWriter.write([.float32("w", shape: [512, 512], (0..<(512 * 512)).map { Float($0) })], to: path)
        let child = try Child(["export", path, "--tensor", "w", "--out", scratch.path("out.safetensors")],
                              environment: ["QUANTSCOPE_TEST_STOP_AFTER_OPEN": "1"])
        let stopped = child.wait(untraced: true, seconds: 30)
        #expect(stopped == .stopped(SIGSTOP), "the hook should stop the child after opening: \(stopped), \(child.stderr)")
        guard case .stopped = stopped else { return }
        #expect(truncate(path, 0) == 0)
        kill(child.pid, SIGCONT)
        Self.expectOneLine(child.wait(seconds: 60), child, status: 1,
                           mentioning: "shrinking.safetensors: the file shrank or changed while it was being read", "truncated")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.safetensors")))
    }

    @Test func outRefusesSymlinksFIFOsDevicesAndFolders() throws {
        let scratch = try Scratch()
        let input = try BadInputTests.tensorFile(scratch)
        let victim = scratch.path("victim.txt")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        let link = scratch.path("link.safetensors")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        let fifo = scratch.path("fifo.safetensors")
        #expect(mkfifo(fifo, 0o600) == 0)
        let folder = scratch.path("folder.safetensors")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        var targets = [(link, "symbolic link"), (fifo, "FIFO"), (folder, "directory")]
        // A character device of our own (as root; /dev/null's numbers), so
        // that a regression destroys a scratch node and not the real /dev/null.
        let device = scratch.path("null.safetensors")
        if mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 { targets.append((device, "character device")) }
        for (target, kind) in targets {
            for command in [["export", input, "--tensor", "w"], ["quantize", input, "--tensor", "w", "--scheme", "int8"]] {
                let child = try Child(command + ["--out", target])
                Self.expectOneLine(child.wait(seconds: 30), child, status: 1, mentioning: kind, "\(command[0]) --out \(kind)")
            }
        }
        var info = stat()
        #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link is still a link")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me", "its target is untouched")
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO is still a FIFO")
        if targets.count == 4 { #expect(lstat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "the device is still a device") }
        #expect((try FileManager.default.contentsOfDirectory(atPath: scratch.url.path)).allSatisfy { !$0.hasSuffix(".tmp") },
                "no temporary file is left behind")
    }

    @Test func outNamingTheInputAnyWayIsRefused() throws {
        let scratch = try Scratch()
        let input = try BadInputTests.tensorFile(scratch)
        let hardLink = scratch.path("same.safetensors")
        #expect(link(input, hardLink) == 0)
        let archive = scratch.path("arrays.npz")
        try SharedFixtures.data("npy/arrays.npz").write(to: URL(fileURLWithPath: archive))
        let before = try Data(contentsOf: URL(fileURLWithPath: archive))
        let cases: [[String]] = [
            ["export", input, "--tensor", "w", "--out", hardLink],
            ["export", input, "--tensor", "w", "--out", scratch.path("./w.safetensors")],
            ["quantize", archive, "--tensor", "w", "--scheme", "int8", "--out", archive],
            ["export", archive, "--tensor", "w", "--out", archive],
        ]
        for arguments in cases {
            let r = try CLI.run(arguments)
            BadInputTests.expectOneLine(r, status: 1, mentioning: "refusing to write over the input file", arguments.joined(separator: " "))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: archive)) == before, "the archive is untouched")
    }

    @Test(arguments: [
        (["stats", "--scheme", "int8", "--granularity", "group:9223372036854775807", "--json"], 4),
        (["stats", "--scheme", "int8", "--granularity", "block:1x9223372036854775807", "--json"], 4),
        (["stats", "--scheme", "int8", "--granularity", "block:9223372036854775807x9223372036854775807", "--json"], 1),
        // nf4 blocks run over the flattened tensor (docs/contract.md §4): one block.
        (["stats", "--scheme", "nf4", "--granularity", "group:9223372036854775807", "--json"], 1),
    ])
    func hugeGroupsAreTheWholeRowOrTensor(arguments: [String], groups: Int) throws {
        let scratch = try Scratch()
        let path = try BadInputTests.tensorFile(scratch)
        let r = try CLI.run([arguments[0], path, "--tensor", "w"] + arguments.dropFirst())
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
        let json = try CLI.json(r)
        #expect(json["groups"] as? Int == groups, "\(arguments)")
    }

    @Test(arguments: [
        (["--scheme", "w8a8", "--tokens", "4611686018427387904"], "--tokens"),
        (["--scheme", "w8a8", "--tokens", "65537"], "--tokens"),
        (["--scheme", "w8a8", "--tokens", "0"], "--tokens"),
        (["--scheme", "w4a16", "--group-size", "9223372036854775776"], "--group-size"),
        (["--scheme", "w4a16", "--group-size", "64"], "--group-size"),
        (["--scheme", "w8a8", "--repeats", "4611686018427387904"], "--repeats"),
        (["--scheme", "w8a8", "--tokens", "99999999999999999999999"], "--tokens"),
    ])
    func matmulCountsAreBounded(arguments: [String], needle: String) throws {
        let scratch = try Scratch()
        let path = try BadInputTests.tensorFile(scratch)
        let r = try CLI.run(["matmul", path, "--tensor", "w"] + arguments)
        BadInputTests.expectOneLine(r, status: 2, mentioning: needle, arguments.joined(separator: " "))
    }

    @Test func benchRepeatsAreBounded() throws {
        BadInputTests.expectOneLine(try CLI.run(["bench", "--repeats", "4611686018427387904"]), status: 2, mentioning: "--repeats", "bench")
    }

    /// Members longer than their npy header declares are refused with one
    /// line (docs/contract.md §9): a 128 KiB archive whose directory says its
    /// member is 128 MiB, from the header alone, and one whose directory says
    /// 256 bytes but whose stream inflates to 64 MiB, when it is loaded
    /// (tools/make_hostile_fixtures.py; numpy accepts both).
    @Test func npzMembersLongerThanDeclaredAreRefused() throws {
        let scratch = try Scratch()
        let out = scratch.path("w.safetensors")
        let bomb = SharedFixtures.root.appendingPathComponent("hostile/npz_bomb.npz").path
        let lying = SharedFixtures.root.appendingPathComponent("hostile/npz_lying_size.npz").path
        for arguments in [["inspect", bomb], ["export", bomb, "--out", out]] {
            let child = try Child(arguments)
            Self.expectOneLine(child.wait(seconds: 60), child, status: 1,
                               mentioning: "npz_bomb.npz: member 'w.npy': 134217984 bytes, longer than its header declares", arguments[0])
        }
        for arguments in [["export", lying, "--out", out], ["stats", lying, "--scheme", "int8"]] {
            let child = try Child(arguments)
            Self.expectOneLine(child.wait(seconds: 60), child, status: 1,
                               mentioning: "npz_lying_size.npz: member 'w.npy': inflates past 256 bytes, longer than its header declares",
                               arguments[0])
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

/// `inspect --json` on npz: absolute offsets, against Python's zipfile.
@Suite struct NPZInspectTests {
    @Test(arguments: ["npy/arrays.npz", "npy/arrays_compressed.npz"])
    func offsetsAreAbsoluteOrNullWhenDeflated(_ file: String) throws {
        let table = try JSONSerialization.jsonObject(with: try SharedFixtures.data("hostile/npz_offsets.json")) as? [String: Any]
        let rows = try #require((table?["files"] as? [String: Any])?[file] as? [[String: Any]])
        let r = try CLI.run(["inspect", SharedFixtures.root.appendingPathComponent(file).path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let tensors = try #require(try CLI.json(r)["tensors"] as? [[String: Any]])
        #expect(tensors.count == rows.count)
        for (tensor, row) in zip(tensors, rows) {
            #expect(tensor["name"] as? String == row["tensor"] as? String)
            if let offset = row["offset"] as? Int {
                #expect(tensor["offset"] as? Int == offset, "\(file) \(row["tensor"] ?? "")")
                #expect(tensor["compressed"] == nil)
            } else {
                #expect(tensor["offset"] is NSNull, "\(file) \(row["tensor"] ?? ""): a deflated member has no offset")
                #expect(tensor["compressed"] as? Bool == true)
            }
        }
    }
}

extension HostileInputTests {
    /// The group-size bound applies to the grouped kernels only.
    @Test func ungroupedKernelsIgnoreTheGroupSize() throws {
        let scratch = try Scratch()
        let path = try BadInputTests.tensorFile(scratch)
        for scheme in ["w8a8", "fp8", "w4a16"] {
            let r = try CLI.run(["matmul", path, "--tensor", "w", "--scheme", scheme, "--tokens", "2", "--repeats", "1"]
                                + (scheme == "w4a16" ? ["--group-size", "32"] : []))
            #expect(r.status == 0, "\(scheme): \(r.stderr)")
        }
    }
}
