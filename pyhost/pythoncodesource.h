#pragma once

#include "buffersource.h"

#include <string>
#include <vector>

namespace stridescope {

// The object under inspection, made by the user's Python code. The code runs in a fresh namespace
// (__name__ == "__main__", numpy imported as np), compiled as "<scenario>", with the import folders
// (Scenario::importPath) at the front of sys.path. The object is the value
// of the last statement when that is an expression, otherwise the variable `buf`; or, when
// `objectName` is given (a comparison scenario), the variable of that name.
// build() throws SourceError, with the output printed so far; its `python` holds the exception
// when the code raised (SyntaxError, SystemExit and KeyboardInterrupt from interrupt() included).
class PythonCodeSource final : public BufferSource
{
public:
    PythonCodeSource(std::string code, std::vector<std::string> importPath, SourceLimits limits,
                     std::string objectName = {});

    // Runs on the Python thread with the GIL held. The result's keepAlive is the namespace, so
    // memory that the object points into but does not own (ctypes, ...) stays valid.
    BuiltSource build() override;

    // A Python error's text as one line of at most 500 bytes: exception texts may span lines
    // (numpy's do) or be huge.
    static std::string oneLineMessage(const std::string& text);
    // Lets tracebacks show the lines of `code`, compiled as `filename` (linecache knows only files).
    // GIL held; raises on text that is not UTF-8.
    static void registerSourceLines(const std::string& code, const std::string& filename);

private:
    std::string m_code;
    std::vector<std::string> m_importPath;
    SourceLimits m_limits;
    std::string m_objectName;
};

} // namespace stridescope
