#!/usr/bin/env python3
"""Marks one version requirement of an ELF64 shared library as weak (VER_FLG_WEAK), in place.

TorchSharp 0.107.0's libLibTorchSharp.so was built with GCC 13 and asks libstdc++.so.6 for version GLIBCXX_3.4.32,
for one symbol only: std::ios_base_library_init(), which GCC 13's <iostream> references just to make sure the
streams are initialised. Debian 12's libstdc++ (GCC 12) stops at GLIBCXX_3.4.30, so the loader refuses the library.
A weak requirement is not fatal when missing; the symbol itself comes from ios_base_library_init_stub.c.

usage: weaken-version.py LIBRARY VERSION   (prints what it did; does nothing if already weak or not required)
"""
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def main(path: str, version: str) -> int:
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            print(f"{path}: not a little-endian ELF64 file", file=sys.stderr)
            return 1
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        for (_, sh_type, _, _, offset, _, link, info, _, _) in sections:
            if sh_type != SHT_GNU_VERNEED:
                continue
            strtab = sections[link][4]
            name_at = lambda o: data[strtab + o:data.index(b"\0", strtab + o)].decode()
            need = offset
            for _ in range(info):
                _, count, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, need)
                aux = need + vn_aux
                for _ in range(count):
                    _, flags, _, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                    if name_at(vna_name) == version:
                        if flags & VER_FLG_WEAK:
                            print(f"{path}: {version} of {name_at(vn_file)} already weak")
                        else:
                            struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                            f.seek(0)
                            f.write(data)
                            print(f"{path}: {version} of {name_at(vn_file)} marked weak")
                        return 0
                    aux += vna_next
                need += vn_next
        print(f"{path}: does not require {version}")
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
