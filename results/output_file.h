// output_file.h: replacing an output file (results, reports) safely.
//
// The new content goes to a temporary file made with mkstemp in the target's own folder
// (unique per writer, so concurrent runs never share one), is flushed to disk, then renamed
// over the target: a reader sees the old file or the new one, never half of one, and a full
// disk leaves the old file as it was. A symbolic link is followed (its target is replaced, the
// link stays). An existing target that is not a regular file (a directory, a device such as
// /dev/null, a FIFO, a socket) is refused: renaming over it would replace a system file.
#pragma once

#include <string>
#include <string_view>

#include "vocab/status.h"

namespace bc {

// Ok, or why `path` cannot be an output file (it, or the file its links lead to, exists and is
// not a regular file; a loop of links), naming that file. Lets a command refuse before it starts.
Status outputFileProblem(const std::string& path);

// Replaces the file at `path` (after following links) with `content`; creates missing parent
// folders. An error names the file (or folder) and the cause; the old file is then intact.
Status replaceFile(const std::string& path, std::string_view content);

}  // namespace bc
