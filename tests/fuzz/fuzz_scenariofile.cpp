// libFuzzer target: the scenario reader (ScenarioFile::parse), on any bytes. A scenario it accepts
// must survive being written and read back unchanged.
#include "gui/scenario/scenariofile.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace stridescope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    QString error;
    ScenarioNotes notes;
    // Read as from a file, so relative import folders are resolved, not refused.
    const auto scenario = ScenarioFile::parse(json, &error, &notes, QStringLiteral("/fuzz/scenarios"));
    if (!scenario) {
        if (error.isEmpty() || error.contains(QLatin1Char('\n')))
            std::abort(); // every refusal is one line naming the problem
        return 0;
    }
    const QByteArray written = ScenarioFile::toJson(*scenario, notes);
    QString again;
    ScenarioNotes notesAgain;
    const auto reread = ScenarioFile::parse(written, &again, &notesAgain);
    if (!reread || ScenarioFile::toJson(*reread, notesAgain) != written)
        std::abort();
    return 0;
}
