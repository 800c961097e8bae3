// SPDX-License-Identifier: MIT
// hlspp.parse().

#include "playlist.hpp"
#include "register.hpp"

namespace hlspp_py {

void register_parse(py::module_& m) {
  m.def(
      "parse",
      [](py::handle text, std::optional<std::string> base_uri, std::string_view strictness) {
        hlspp::parse_options options;
        options.strictness = strictness_from(strictness);
        text_input input(text);
        auto r = run_parse(input.view(), options);
        if (!r.ok()) raise_error("ParseError", r.error(), &r.diagnostics());
        hlspp::diagnostics diagnostics = r.diagnostics();
        return wrap_playlist(std::move(r).value(), std::move(diagnostics), std::move(base_uri));
      },
      py::arg("text"), py::kw_only(), py::arg("base_uri") = py::none(), py::arg("strictness") = "default",
      "Parses a master or media playlist (str or bytes).\n\n"
      "strictness: 'lenient' never fails and keeps what it cannot model verbatim; 'default' fails only\n"
      "when the text cannot be a playlist; 'strict' fails on any error-severity diagnostic.\n"
      "base_uri: the URI the text came from (kept on the playlist for rebase/merge).\n"
      "Raises ParseError (.line, .column, .code); playlist.diagnostics lists everything else found.");
}

}  // namespace hlspp_py
