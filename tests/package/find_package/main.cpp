// SPDX-License-Identifier: MIT
// Consumer smoke test: parse a tiny playlist through the installed/added package.
#include <hlspp/hlspp.hpp>

#include <iostream>

int main() {
    auto r = hlspp::parse("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:9.9,\na.ts\n");
    if (!r.ok()) {
        return 1;
    }
    std::cout << hlspp::to_string(r.value());
    return 0;
}
