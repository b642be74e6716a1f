// .npy and .npz files in the window: File > Open (the real file dialog), drag and drop (real
// events), the member dialog of an .npz, the Buffer dock's page (file, member, dtype, shape, mapped
// or decompressed), switching members there, and Save writing a scenario that refers to the file.
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/outcomesummary.h"
#include "gui/panels/bufferpanel.h"
#include "gui/panels/numpyfilepage.h"
#include "gui/panels/outcomebanner.h"
#include "gui/scenario/scenariofile.h"
#include "gui/window/mainwindow.h"

#include "windowsettle.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "isolatedwindowtest.h"
#include <QTimer>
#include <QUndoStack>

using namespace stridescope;

namespace {

constexpr int kReportTimeoutMs = 60000;

constexpr const char* kWriter = R"PY(
import numpy as np, os, sys
os.chdir(sys.argv[1])
np.save("c.npy", np.arange(12, dtype="<i4").reshape(3, 4))
np.savez("two.npz", x=np.arange(10, dtype=np.uint8), y=np.arange(6, dtype="<f8").reshape(2, 3).T)
np.savez_compressed("packed.npz", x=np.arange(10, dtype=np.uint8), y=np.arange(6, dtype=">f8").reshape(2, 3))
with open("text.npy", "w") as f:
    f.write("not an array\n")
)PY";

// Answers the next modal dialog of type T with `answer`, as a user would, once it is shown.
template <class T> void answerNextDialog(std::function<void(T*)> answer)
{
    auto* timer = new QTimer;
    QObject::connect(timer, &QTimer::timeout, [timer, answer] {
        for (QWidget* widget : QApplication::topLevelWidgets()) {
            auto* dialog = qobject_cast<T*>(widget);
            if (dialog && dialog->isVisible()) {
                timer->stop();
                timer->deleteLater();
                answer(dialog);
                return;
            }
        }
    });
    timer->start(20);
}

} // namespace

class TestNumpyWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QStringList m_errors;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    std::unique_ptr<MainWindow> makeWindow()
    {
        auto window = std::make_unique<MainWindow>();
        window->setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
        window->setErrorReporter(
            [this](const QString& title, const QString& message) { m_errors << title + ": " + message; });
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("the window was not exposed");
        return window;
    }

    static bool settle(MainWindow& window) { return settleWindow(window, kReportTimeoutMs); }
    static OutcomeSummary::Kind outcome(MainWindow& window) { return window.banner()->summary().kind; }

    static QAction* openAction(MainWindow& window)
    {
        for (QAction* menu : window.menuBar()->actions())
            if (menu->menu())
                for (QAction* action : menu->menu()->actions())
                    if (action->shortcut() == QKeySequence(QKeySequence::Open))
                        return action;
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"), QString::fromLatin1(kWriter), m_dir.path()});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    }

    void init() { m_errors.clear(); }

    // File > Open: the real dialog offers numpy files, and the array opens mapped.
    void fileOpenOpensAnNpy()
    {
        auto window = makeWindow();
        QAction* open = openAction(*window);
        QVERIFY(open);
        QStringList filters;
        answerNextDialog<QFileDialog>([&](QFileDialog* dialog) {
            filters = dialog->nameFilters();
            // The user types the file's path and presses Return.
            auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
            QVERIFY(name);
            name->setText(path(QStringLiteral("c.npy")));
            QTest::keyClick(name, Qt::Key_Return);
        });
        open->trigger();
        QVERIFY2(filters.join(';').contains(QStringLiteral("*.npy *.npz")), qPrintable(filters.join(';')));
        QCOMPARE(window->document()->scenario().kind, Scenario::SourceKind::NumpyFile);
        QCOMPARE(QString::fromStdString(window->document()->scenario().path), path(QStringLiteral("c.npy")));
        // A new untitled document: Save must never write over the array.
        QVERIFY(window->document()->filePath().isEmpty());
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Alias);
        NumpyFilePage* page = window->bufferPanel()->numpyFilePage();
        QVERIFY(page->isVisible());
        QVERIFY2(page->arrayLabel()->text().contains(
                     QStringLiteral("memmap, format 'i', itemsize 4, shape (3, 4)")),
                 qPrintable(page->arrayLabel()->text()));
        QVERIFY2(page->storageLabel()->text().contains(QStringLiteral("dtype '<i4', C order")),
                 qPrintable(page->storageLabel()->text()));
        QVERIFY2(page->storageLabel()->text().contains(QStringLiteral("memory-mapped read-only")),
                 qPrintable(page->storageLabel()->text()));
        QVERIFY(!page->memberBox()->isVisible()); // an .npy has no members
    }

    // Names a file gives (a snapshot's exporter, a numpy file's path) are shown as text: a hostile
    // file cannot make the Buffer dock render markup (links, images) instead.
    void textFromAFileIsNotMarkup()
    {
        Scenario snapshot;
        snapshot.kind = Scenario::SourceKind::Snapshot;
        snapshot.strided.format = "B";
        snapshot.strided.shape = {2};
        snapshot.strided.offset = 0;
        snapshot.strided.memory = 2;
        snapshot.captured.bytes =
            std::make_shared<const std::vector<std::uint8_t>>(std::vector<std::uint8_t>{1, 2});
        snapshot.captured.capturedFrom = "<b>bold</b><img src=\"x\">";
        const QString file = path(QStringLiteral("markup.stridescope"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(ScenarioFile::toJson(snapshot));
        out.close();
        auto window = makeWindow();
        QVERIFY(window->openFile(file));
        auto* note = window->bufferPanel()->findChild<QLabel*>(QStringLiteral("sourceKindNote"));
        QVERIFY(note);
        QVERIFY2(note->text().contains(QStringLiteral("<b>bold</b>")), qPrintable(note->text()));
        QCOMPARE(note->textFormat(), Qt::PlainText);
        NumpyFilePage* page = window->bufferPanel()->numpyFilePage();
        for (QLabel* label : {page->arrayLabel(), page->storageLabel()})
            QCOMPARE(label->textFormat(), Qt::PlainText);
    }

    // Dropping an .npz with two arrays asks which (the real QInputDialog), and the Buffer dock
    // lists every member to switch to.
    void droppingAnNpzAsksForTheMemberAndTheDockSwitches()
    {
        auto window = makeWindow();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path(QStringLiteral("packed.npz")))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QStringList offered;
        answerNextDialog<QInputDialog>([&](QInputDialog* dialog) {
            offered = dialog->comboBoxItems();
            dialog->setTextValue(QStringLiteral("y"));
            dialog->accept();
        });
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window.get(), &drop);
        QTRY_COMPARE(window->document()->scenario().member, std::string("y"));
        QCOMPARE(offered, (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
        QVERIFY(settle(*window));
        NumpyFilePage* page = window->bufferPanel()->numpyFilePage();
        QTRY_VERIFY2(page->storageLabel()->text().contains(QStringLiteral("decompressed into memory")),
                     qPrintable(page->storageLabel()->text()));
        QVERIFY2(page->arrayLabel()->text().contains(QStringLiteral("format '>d', itemsize 8, shape (2, 3)")),
                 qPrintable(page->arrayLabel()->text()));
        QComboBox* members = page->memberBox();
        QVERIFY(members->isVisible());
        QCOMPARE(members->count(), 2);
        QCOMPARE(members->currentText(), QStringLiteral("y"));
        // The user picks x in the dock: an undoable edit, inspected.
        members->setCurrentIndex(0);
        emit members->activated(0);
        QCOMPARE(window->document()->scenario().member, std::string("x"));
        QVERIFY(settle(*window));
        QTRY_VERIFY2(page->arrayLabel()->text().contains(QStringLiteral("shape (10,)")),
                     qPrintable(page->arrayLabel()->text()));
        window->document()->undoStack()->undo();
        QCOMPARE(window->document()->scenario().member, std::string("y"));
    }

    void droppingAnythingElseIsRefused()
    {
        auto window = makeWindow();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path(QStringLiteral("c.png")))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        enter.setAccepted(false);
        QCoreApplication::sendEvent(window.get(), &enter);
        QVERIFY(!enter.isAccepted());
    }

    void aFileThatIsNoArrayIsNoBuffer()
    {
        auto window = makeWindow();
        QVERIFY(window->openFile(path(QStringLiteral("text.npy"))));
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::SourceFailed);
        QVERIFY2(
            window->inspectionState()->failure()->message.contains(QStringLiteral("is not a numpy file")),
            qPrintable(window->inspectionState()->failure()->message));
        QVERIFY(!window->openFile(path(QStringLiteral("missing.npz"))));
        QCOMPARE(m_errors.size(), 1);
        QVERIFY2(m_errors.first().contains(QStringLiteral("No such file or directory")),
                 qPrintable(m_errors.first()));
    }

    // Save writes a scenario that refers to the file; opening it again gives the same array.
    void saveWritesAScenarioReferringToTheFile()
    {
        auto window = makeWindow();
        window->setMemberChooser([](const QString&, const QStringList& members) { return members.last(); });
        QVERIFY(window->openFile(path(QStringLiteral("two.npz"))));
        QCOMPARE(window->document()->scenario().member, std::string("y"));
        const QString saved = path(QStringLiteral("two.stridescope"));
        QVERIFY(window->saveFile(saved));
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto scenario = ScenarioFile::parse(file.readAll(), nullptr);
        QVERIFY(scenario);
        QCOMPARE(scenario->kind, Scenario::SourceKind::NumpyFile);
        QCOMPARE(QString::fromStdString(scenario->path), path(QStringLiteral("two.npz")));
        QCOMPARE(scenario->member, std::string("y"));
        QVERIFY(window->openFile(saved));
        QVERIFY(settle(*window));
        QCOMPARE(outcome(*window), OutcomeSummary::Kind::Copy); // y is Fortran order, asked for C
        QCOMPARE(window->document()->filePath(), saved);
    }
};

int main(int argc, char** argv)
{
    return testwindow::runIsolated<TestNumpyWindow>("tst_numpywindow", argc, argv);
}

#include "tst_numpywindow.moc"
