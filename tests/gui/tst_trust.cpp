// Code from a file runs only with the user's consent: the real window, offscreen, with the real
// interpreter. Each scenario's code writes a marker file, so "it did not run" is a file that is not
// there, and "it ran" one that is.
#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/outcomesummary.h"
#include "gui/panels/bufferpanel.h"
#include "gui/panels/importfoldereditor.h"
#include "gui/panels/messagebar.h"
#include "gui/panels/outcomebanner.h"
#include "gui/panels/pythoncodeeditor.h"
#include "gui/panels/requestbar.h"
#include "gui/scenario/truststore.h"
#include "gui/window/autosave.h"
#include "gui/window/mainwindow.h"
#include "pyhost/pythonhost.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "isolatedwindowtest.h"

#include "windowsettle.h"
#include <QToolButton>
#include <QUndoStack>

#include <memory>
#include <sys/stat.h>

using namespace stridescope;

namespace {

constexpr int kReportTimeoutMs = 30000;
// How long an untrusted scenario is given to (wrongly) run before the test says it did not.
constexpr int kWouldHaveRunMs = 1500;

// Python code that leaves `marker` behind when it runs.
std::string markerCode(const QString& marker)
{
    return QStringLiteral("open('%1', 'w').write('ran')\nbytearray(b'abc')").arg(marker).toStdString();
}

Scenario markerScenario(const QString& marker)
{
    Scenario scenario;
    scenario.kind = Scenario::SourceKind::Python;
    scenario.code = markerCode(marker);
    return scenario;
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

mode_t modeOf(const QString& path)
{
    struct stat info
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_mode & 07777;
}

} // namespace

class TestTrust : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    std::unique_ptr<MainWindow> makeWindow()
    {
        auto window = std::make_unique<MainWindow>();
        window->setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
        window->setErrorReporter([](const QString& title, const QString& message) {
            qWarning("%s: %s", qPrintable(title), qPrintable(message));
        });
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("the window was not exposed");
        return window;
    }

    // Waits until the newest inspection has been delivered (a report or a failure).
    static bool settle(MainWindow& window, int timeoutMs = kReportTimeoutMs)
    {
        return settleWindow(window, timeoutMs);
    }

    // The window shows the scenario as not run: the bar, the banner, no report, nothing busy.
    static void verifyHeld(MainWindow& window)
    {
        QTest::qWait(kWouldHaveRunMs);
        QVERIFY(window.trustBar()->isVisible());
        QVERIFY(!window.controller()->isPending());
        QVERIFY(!window.inspectionState()->report());
        QVERIFY(window.inspectionState()->failure());
        QVERIFY(window.inspectionState()->failure()->notRun);
        QCOMPARE(window.banner()->badgeText(), QStringLiteral("NOT RUN"));
    }

#define VERIFY_HELD(window)                                                                                  \
    do {                                                                                                     \
        verifyHeld(window);                                                                                  \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (false)

    QPushButton* runButton(MainWindow& window)
    {
        return window.trustBar()->findChild<QPushButton*>(QStringLiteral("trustRunButton"));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(PythonHost::instance().startupError().empty(),
                 PythonHost::instance().startupError().c_str());
        // A fresh secret and store for this run (test mode: under ~/.qttest, never the user's).
        QDir(TrustStore::defaultDirectory()).removeRecursively();
        QDir(Autosave::defaultDirectory()).removeRecursively();
    }

    void aDownloadedFileIsShownNotRunUntilTheUserSaysSo()
    {
        const QString marker = path(QStringLiteral("downloaded.ran"));
        const QString file = path(QStringLiteral("downloaded.stridescope"));
        QVERIFY(writeFile(file, ScenarioFile::toJson(markerScenario(marker))));
        auto window = makeWindow();
        QVERIFY(settle(*window)); // the default preset, before the file
        QVERIFY(window->openFile(file));
        VERIFY_HELD(*window);
        QVERIFY2(!QFile::exists(marker), "the code of an untrusted file ran when it was opened");
        // The code is there to read.
        QCOMPARE(window->bufferPanel()->codeEditor()->code().toStdString(), markerCode(marker));
        QVERIFY(window->bufferPanel()->codeEditor()->isVisible());
        // Changing the request re-inspects a trusted scenario; this one still does not run.
        window->requestBar()->orderButton('F')->click();
        VERIFY_HELD(*window);
        QVERIFY(!QFile::exists(marker));

        QTest::mouseClick(runButton(*window), Qt::LeftButton);
        QVERIFY(settle(*window));
        QVERIFY(window->inspectionState()->report());
        QVERIFY(QFile::exists(marker));
        QVERIFY(!window->trustBar()->isVisible());
    }

    void aDataOnlyFileNeedsNoTrust()
    {
        Scenario strided;
        strided.strided.format = "B";
        strided.strided.shape = {2, 3};
        const QString file = path(QStringLiteral("data.json"));
        QVERIFY(writeFile(file, ScenarioFile::toJson(strided)));
        auto window = makeWindow();
        QVERIFY(window->openFile(file));
        QVERIFY(settle(*window));
        QVERIFY(window->inspectionState()->report());
        QVERIFY(!window->trustBar()->isVisible());
    }

    void aFileTheWindowSavedReopensTrustedAndRuns()
    {
        const QString marker = path(QStringLiteral("saved.ran"));
        const QString file = path(QStringLiteral("saved.stridescope"));
        {
            auto window = makeWindow();
            window->document()->reset(markerScenario(marker), ScenarioDocument::CodeTrust::Trusted);
            QVERIFY(window->saveFile(file));
            QVERIFY(settle(*window));
        }
        QVERIFY(QFile::remove(marker));
        auto window = makeWindow();
        QVERIFY(window->openFile(file));
        QVERIFY(settle(*window));
        QVERIFY(window->inspectionState()->report());
        QVERIFY2(QFile::exists(marker), "a file the user saved did not run when reopened");
        QVERIFY(!window->trustBar()->isVisible());

        // The secret and the store are private.
        const QString trust = TrustStore::defaultDirectory();
        QCOMPARE(modeOf(trust), mode_t(0700));
        QCOMPARE(modeOf(trust + QStringLiteral("/secret")), mode_t(0600));
        QCOMPARE(modeOf(trust + QStringLiteral("/signatures")), mode_t(0600));
    }

    void aSignedFileEditedByHandIsUntrustedAgain()
    {
        const QString marker = path(QStringLiteral("edited.ran"));
        const QString file = path(QStringLiteral("edited.stridescope"));
        {
            auto window = makeWindow();
            window->document()->reset(markerScenario(QStringLiteral("/nonexistent/never")),
                                      ScenarioDocument::CodeTrust::Trusted);
            QVERIFY(window->saveFile(file));
        }
        // Someone changes the code in a text editor: the signature no longer matches.
        QFile read(file);
        QVERIFY(read.open(QIODevice::ReadOnly));
        QByteArray text = read.readAll();
        read.close();
        text.replace("/nonexistent/never", QFile::encodeName(marker));
        QVERIFY(writeFile(file, text));
        auto window = makeWindow();
        QVERIFY(window->openFile(file));
        VERIFY_HELD(*window);
        QVERIFY2(!QFile::exists(marker), "a signed file edited by hand ran when it was opened");
    }

    void savingCodeThatNeverRanDoesNotSignIt()
    {
        // Opening a downloaded file and saving it under a new name is not consent.
        const QString marker = path(QStringLiteral("laundered.ran"));
        const QString downloaded = path(QStringLiteral("laundered-in.stridescope"));
        const QString saved = path(QStringLiteral("laundered-out.stridescope"));
        QVERIFY(writeFile(downloaded, ScenarioFile::toJson(markerScenario(marker))));
        {
            auto window = makeWindow();
            QVERIFY(window->openFile(downloaded));
            QVERIFY(window->saveFile(saved));
        }
        auto window = makeWindow();
        QVERIFY(window->openFile(saved));
        VERIFY_HELD(*window);
        QVERIFY(!QFile::exists(marker));
    }

    void codeTheUserRunsIsTheirsButUndoBringsBackTheFileCode()
    {
        const QString marker = path(QStringLiteral("undo.ran"));
        const QString own = path(QStringLiteral("own.ran"));
        const QString file = path(QStringLiteral("undo.stridescope"));
        QVERIFY(writeFile(file, ScenarioFile::toJson(markerScenario(marker))));
        auto window = makeWindow();
        QVERIFY(window->openFile(file));
        VERIFY_HELD(*window);
        // The user rewrites the code and runs it: their code, it runs.
        window->bufferPanel()->codeEditor()->editor()->setPlainText(QString::fromStdString(markerCode(own)));
        window->run();
        QVERIFY(settle(*window));
        QVERIFY(window->inspectionState()->report());
        QVERIFY(QFile::exists(own));
        // Undo goes back to the file's code, which nobody allowed.
        window->document()->undoStack()->undo();
        QCOMPARE(window->document()->scenario().code, markerCode(marker));
        VERIFY_HELD(*window);
        QVERIFY(!QFile::exists(marker));
    }

    // The consent covers the folders the code imports from: the same code importing from another folder
    // runs other code. Choosing a folder in the window is the user's own act and keeps their code allowed;
    // it does not allow a file's code that waits for consent.
    void consentCoversTheImportFolders()
    {
        const QString marker = path(QStringLiteral("folders.ran"));
        const QString file = path(QStringLiteral("folders.stridescope"));
        const QString folder = path(QStringLiteral("modules"));
        QVERIFY(QDir().mkpath(folder));
        Scenario scenario = markerScenario(marker);
        scenario.importPath = {folder.toStdString()};
        QVERIFY(writeFile(file, ScenarioFile::toJson(scenario)));
        auto window = makeWindow();
        QVERIFY(window->openFile(file));
        VERIFY_HELD(*window);
        window->bufferPanel()->importFolderEditor()->addFolder(m_dir.path());
        QCOMPARE(window->document()->scenario().importPath.size(), std::size_t(2));
        VERIFY_HELD(*window);
        QVERIFY2(!QFile::exists(marker), "adding a folder ran the file's code");

        QTest::mouseClick(runButton(*window), Qt::LeftButton);
        QVERIFY(settle(*window));
        QVERIFY(QFile::remove(marker));
        // Allowed code keeps running as folders are removed and added.
        window->bufferPanel()->importFolderEditor()->list()->setCurrentRow(0);
        window->bufferPanel()->importFolderEditor()->removeSelected();
        QCOMPARE(window->document()->scenario().importPath,
                 std::vector<std::string>{m_dir.path().toStdString()});
        QVERIFY(settle(*window));
        QVERIFY(window->document()->mayRunCode());
        QVERIFY(QFile::remove(marker));
        // Undo back to both folders: the code ran with them, so it stays allowed.
        window->document()->undoStack()->undo();
        QVERIFY(window->document()->mayRunCode());
        // The allowance is not by code text alone: the same code with other folders waits.
        Scenario other = window->document()->scenario();
        other.importPath = {path(QStringLiteral("elsewhere")).toStdString()};
        window->document()->edit(other, QStringLiteral("folders changed behind the user's back"));
        QVERIFY(!window->document()->mayRunCode());
    }

    void theRestoredSessionRunsOnlyWhenSigned()
    {
        const QString marker = path(QStringLiteral("session.ran"));
        const QString file = path(QStringLiteral("session.stridescope"));
        QVERIFY(writeFile(file, ScenarioFile::toJson(markerScenario(marker))));
        {
            auto window = makeWindow();
            QVERIFY(window->openFile(file));
            QVERIFY(window->close()); // saves the session: an untrusted file, never run
        }
        {
            MainWindow restored;
            restored.show();
            restored.restoreSession();
            restored.inspectCurrent();
            QCOMPARE(restored.document()->filePath(), file);
            VERIFY_HELD(restored);
            QVERIFY2(!QFile::exists(marker), "the restored session of an untrusted file ran");
        }
        // An untitled scenario of the user's own comes back and runs.
        const QString own = path(QStringLiteral("session-own.ran"));
        {
            auto window = makeWindow();
            window->document()->reset(markerScenario(own), ScenarioDocument::CodeTrust::Trusted);
            QVERIFY(settle(*window));
            QVERIFY(window->close());
        }
        QVERIFY(QFile::remove(own));
        {
            MainWindow restored;
            restored.show();
            restored.restoreSession();
            restored.inspectCurrent();
            QVERIFY(settle(restored));
            QVERIFY(restored.inspectionState()->report());
            QVERIFY(QFile::exists(own));
        }
        // Settings are a plain file anybody's program may write: other code under the old signature
        // does not run.
        QVERIFY(QFile::remove(own));
        {
            QSettings settings;
            QByteArray json = settings.value(QStringLiteral("session/scenario")).toByteArray();
            QVERIFY(json.contains("session-own.ran"));
            json.replace("session-own.ran", "session-swapped.ran");
            settings.setValue(QStringLiteral("session/scenario"), json);
        }
        MainWindow restored;
        restored.show();
        restored.restoreSession();
        restored.inspectCurrent();
        VERIFY_HELD(restored);
        QVERIFY(!QFile::exists(path(QStringLiteral("session-swapped.ran"))));
        restored.saveSession();
    }

    void presetsRun()
    {
        auto window = makeWindow(); // starts on the transpose preset: Python code
        window->inspectCurrent();
        QVERIFY(settle(*window));
        QVERIFY(window->inspectionState()->report());
        QVERIFY(window->loadPreset(QStringLiteral("memoryview_of_memoryview")));
        QCOMPARE(window->document()->scenario().kind, Scenario::SourceKind::Python);
        QVERIFY(settle(*window));
        QVERIFY(window->inspectionState()->report());
        QVERIFY(!window->trustBar()->isVisible());
    }

    void theStoreRefusesADirectoryOthersCanReach()
    {
        const QString open = path(QStringLiteral("open-trust"));
        QVERIFY(QDir().mkpath(open));
        QVERIFY(QFile::setPermissions(open, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                                QFileDevice::WriteGroup | QFileDevice::ExeGroup));
        QString error;
        QVERIFY(TrustStore(open).signature("x", &error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("0700")), qPrintable(error));
        QVERIFY(!TrustStore(open).addSignature("x"));

        const QString real = path(QStringLiteral("real-trust"));
        QVERIFY(TrustStore(real).addSignature("content"));
        QVERIFY(TrustStore(real).isSigned("content"));
        const QString link = path(QStringLiteral("linked-trust"));
        QVERIFY(QFile::link(real, link));
        QVERIFY(!TrustStore(link).isSigned("content"));
        QVERIFY(TrustStore(link).signature("content", &error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("symlink")), qPrintable(error));
        // A different secret signs differently: a store is worth nothing to another user.
        QVERIFY(!TrustStore(path(QStringLiteral("other-trust"))).isSigned("content"));
    }
};

int main(int argc, char** argv)
{
    return testwindow::runIsolated<TestTrust>("tst_trust", argc, argv);
}

#include "tst_trust.moc"
