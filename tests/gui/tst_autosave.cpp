// The user's work survives a crash: the real `stridescope` (STRIDESCOPE_BINARY) is started with a
// private home, edits are autosaved, the process is killed with SIGKILL, and the next start offers
// the work back without running its untrusted code. The last part runs the same start-up in this
// process (same data and config directories) to press Restore and look at what comes back.
#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/panels/bufferpanel.h"
#include "gui/panels/messagebar.h"
#include "gui/panels/pythoncodeeditor.h"
#include "gui/window/autosave.h"
#include "gui/window/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace stridescope;

namespace {

// The private home every process of this test shares: created before QApplication, so the
// in-process part resolves the same directories as the real executable.
QTemporaryDir* home = nullptr;

QString homePath(const QString& relative)
{
    return home->filePath(relative);
}

// Where the real executable keeps things under the private home (organisation Stridescope,
// application stridescope).
QString autosaveDirectory()
{
    return homePath(QStringLiteral("data/Stridescope/stridescope/autosave"));
}
QString configFile()
{
    return homePath(QStringLiteral("config/Stridescope/stridescope.conf"));
}

std::string markerCode(const QString& marker)
{
    return QStringLiteral("open('%1', 'w').write('ran')\nbytearray(b'abc')").arg(marker).toStdString();
}

bool waitFor(const std::function<bool()>& condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (condition())
            return true;
        QTest::qWait(50);
    }
    return condition();
}

} // namespace

class TestAutosave : public QObject
{
    Q_OBJECT

    QString m_binary;
    QString m_marker;   // written by the scenario's code if it ever runs
    QString m_typed;    // code typed in the editor, autosaved too
    QString m_scenario; // the file the work belongs to

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), home->path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), homePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), homePath(QStringLiteral("config")));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        return env;
    }

private slots:
    void initTestCase()
    {
        m_binary = qEnvironmentVariable("STRIDESCOPE_BINARY");
        if (m_binary.isEmpty() || !QFileInfo::exists(m_binary))
            QFAIL("STRIDESCOPE_BINARY does not name the stridescope executable (see tests/CMakeLists.txt)");
        m_marker = homePath(QStringLiteral("code.ran"));
        m_scenario = homePath(QStringLiteral("work.stridescope"));
        // A file the user did not write (no signature), with Python code.
        Scenario scenario;
        scenario.kind = Scenario::SourceKind::Python;
        scenario.code = markerCode(m_marker);
        QFile file(m_scenario);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ScenarioFile::toJson(scenario));
        file.close();
        // The last session left unsaved changes on it (the request), which a plain launch brings
        // back as unsaved work: the edit the autosave must keep.
        scenario.request.order = 'F';
        QSettings settings(configFile(), QSettings::IniFormat);
        settings.setValue(QStringLiteral("session/scenario"), ScenarioFile::toJson(scenario));
        settings.setValue(QStringLiteral("session/filePath"), m_scenario);
        settings.setValue(QStringLiteral("session/modified"), true);
    }

    void killedWindowLeavesItsWorkBehind()
    {
        QProcess window;
        window.setProcessEnvironment(environment());
        window.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        window.start(m_binary, {});
        QVERIFY2(window.waitForStarted(10000), qPrintable(window.errorString()));
        const QString autosave = autosaveDirectory() + QStringLiteral("/autosave.json");
        QVERIFY2(waitFor([&] { return QFile::exists(autosave); }, 20000),
                 "the window wrote no autosave of its unsaved work");
        QCOMPARE(window.state(), QProcess::Running);
        QVERIFY2(!QFile::exists(m_marker), "the restored session ran the code of an untrusted file");
        ::kill(pid_t(window.processId()), SIGKILL);
        QVERIFY(window.waitForFinished(10000));
        QCOMPARE(window.exitStatus(), QProcess::CrashExit);
        QVERIFY(QFile::exists(autosave)); // nobody cleaned up: it was not a clean exit
        QFile saved(autosave);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const auto work = AutosavedWork::fromJson(saved.readAll(), nullptr);
        QVERIFY(work);
        QCOMPARE(work->filePath, m_scenario);
        QCOMPARE(work->scenario.request.order, 'F');
    }

    void theNextStartShowsTheOfferWithoutRunningTheCode()
    {
        // A screenshot of the next start: it shows the offer and takes nothing.
        const QString shot = homePath(QStringLiteral("restore-offer.png"));
        QProcess screenshot;
        screenshot.setProcessEnvironment(environment());
        screenshot.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        screenshot.start(m_binary, {QStringLiteral("--screenshot"), shot, QStringLiteral("--size"),
                                    QStringLiteral("1200x800")});
        QVERIFY(screenshot.waitForFinished(60000));
        QCOMPARE(screenshot.exitStatus(), QProcess::NormalExit);
        QCOMPARE(screenshot.exitCode(), 0);
        QVERIFY(QFileInfo(shot).size() > 1000);
        if (qEnvironmentVariableIsSet("STRIDESCOPE_KEEP_SCREENSHOT"))
            QFile::copy(shot, qEnvironmentVariable("STRIDESCOPE_KEEP_SCREENSHOT"));
        // The work waits to be answered.
        QVERIFY(QFile::exists(autosaveDirectory() + QStringLiteral("/recovered.json")));
        QVERIFY(!QFile::exists(m_marker));
    }

    void restoreBringsTheWorkBackNotRun()
    {
        // The start-up of main(), in this process: the session, then the autosave.
        {
            MainWindow window;
            window.setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
            window.show();
            window.restoreSession();
            window.startAutosave(true);
            window.inspectCurrent();
            QVERIFY(window.autosave()->isClaimed());
            QVERIFY2(window.restoreBar()->isVisible(), "the next start offered nothing to restore");
            QVERIFY(window.restoreBar()->text().contains(QStringLiteral("work.stridescope")));
            // The session itself was restored untrusted too.
            QVERIFY(window.trustBar()->isVisible());

            // Meanwhile the user changes something else, and then restores.
            window.document()->reset(Scenario{}, ScenarioDocument::CodeTrust::Trusted);
            QTest::mouseClick(window.restoreBar()->findChild<QPushButton*>(QStringLiteral("restoreButton")),
                              Qt::LeftButton);
            QVERIFY(!window.restoreBar()->isVisible());
            QCOMPARE(window.document()->filePath(), m_scenario);
            QCOMPARE(window.document()->scenario().code, markerCode(m_marker));
            QCOMPARE(window.document()->scenario().request.order, 'F');
            QVERIFY(window.document()->isModified());
            QVERIFY(!QFile::exists(autosaveDirectory() + QStringLiteral("/recovered.json")));
            // Not run: the code comes from a file the user did not save.
            window.inspectCurrent();
            QTest::qWait(1500);
            QVERIFY(window.trustBar()->isVisible());
            QVERIFY(!window.inspectionState()->report());
            QVERIFY(!QFile::exists(m_marker));

            // Typing in the editor is work too: autosaved within a second or so.
            const QString autosave = autosaveDirectory() + QStringLiteral("/autosave.json");
            QFile::remove(autosave);
            window.bufferPanel()->codeEditor()->editor()->setPlainText(QStringLiteral("b'typed, not run'"));
            QVERIFY(waitFor([&] { return QFile::exists(autosave); }, 5000));
            QFile saved(autosave);
            QVERIFY(saved.open(QIODevice::ReadOnly));
            const auto work = AutosavedWork::fromJson(saved.readAll(), nullptr);
            QVERIFY(work && work->typedCode);
            QCOMPARE(*work->typedCode, QStringLiteral("b'typed, not run'"));
            saved.close();

            // A clean exit leaves nothing to recover.
            QVERIFY(window.close());
            QVERIFY(!QFile::exists(autosave));
        }
        MainWindow next;
        next.restoreSession();
        next.startAutosave(true);
        QVERIFY(!next.restoreBar()->isVisible());
        QVERIFY(!next.restoreBar()->isVisibleTo(&next));
    }

    void discardForgetsTheWork()
    {
        QDir().mkpath(autosaveDirectory());
        AutosavedWork work;
        work.scenario.strided.shape = {2};
        work.savedAt = QDateTime::currentDateTime();
        QFile file(autosaveDirectory() + QStringLiteral("/autosave.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(work.toJson());
        file.close();
        MainWindow window;
        window.startAutosave(true);
        QVERIFY(window.restoreBar()->isVisibleTo(&window));
        QTest::mouseClick(window.restoreBar()->findChild<QPushButton*>(QStringLiteral("discardButton")),
                          Qt::LeftButton);
        QVERIFY(!window.restoreBar()->isVisibleTo(&window));
        QVERIFY(!QFile::exists(autosaveDirectory() + QStringLiteral("/recovered.json")));
        // A second window of the same process finds the autosave taken: it neither writes nor offers.
        MainWindow second;
        second.startAutosave(true);
        QVERIFY(!second.autosave()->isClaimed());
    }
};

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir privateHome;
    home = &privateHome;
    qputenv("HOME", QFile::encodeName(privateHome.path()));
    qputenv("XDG_DATA_HOME", QFile::encodeName(privateHome.filePath(QStringLiteral("data"))));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(privateHome.filePath(QStringLiteral("config"))));
    QApplication app(argc, argv);
    // The real application's names: this process shares its data and settings under the private home.
    QApplication::setOrganizationName(QStringLiteral("Stridescope"));
    QApplication::setApplicationName(QStringLiteral("stridescope"));
    QApplication::setStyle(QStringLiteral("Fusion"));
    TestAutosave test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_autosave.moc"
