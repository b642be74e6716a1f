#pragma once

#include "gui/painting/highlightmodel.h"
#include "gui/style/theme.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

#include <functional>
#include <memory>

class QSplitter;
class QTabWidget;
class QComboBox;
class QLabel;
class QPushButton;
class QWidget;

namespace stridescope {

class ComparisonView;

class BufferPanel;
class InspectionController;
class InspectionState;
class InspectorPanel;
class LogicalView;
class MemoryStripView;
class MessageBar;
class OutcomeBanner;
class OutputPanel;
class PythonConsolePanel;
class RecentFiles;
class ReportView;
class RequestBar;
class RequestsPanel;
class ResultView;
class ByteRowSync;
class Autosave;
class WindowActions;
class WindowAutosave;
class ScenarioDocument;

// The Stridescope window: the call and its outcome on top, the logical, memory and result pictures
// in the middle, the buffer editor, the inspector and the output in docks. It wires the document
// (what the user edits) to the controller (which inspects it) and the state (what the views draw).
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ScenarioDocument* document() const { return m_document; }
    InspectionController* controller() const { return m_controller; }
    InspectionState* inspectionState() const { return m_state; }
    HighlightModel* highlightModel() const { return m_highlight; }
    OutcomeBanner* banner() const { return m_banner; }
    RequestBar* requestBar() const { return m_requestBar; }
    BufferPanel* bufferPanel() const { return m_bufferPanel; }
    InspectorPanel* inspectorPanel() const { return m_inspectorPanel; }
    RequestsPanel* requestsPanel() const { return m_requestsPanel; }
    // Brings the Inspector tab named `name` ("Buffer", "Reproduce", "Requests") to the front,
    // widening the dock for the Requests table; false when there is no such tab.
    bool showInspectorTab(const QString& name);
    OutputPanel* outputPanel() const { return m_outputPanel; }
    PythonConsolePanel* consolePanel() const { return m_consolePanel; }
    // "The views draw an object from the console": shown after show(obj), until the scenario is
    // inspected again.
    MessageBar* consoleBar() const { return m_consoleBar; }
    // Shows the Console dock in front of its tab group, its input focused.
    void raiseConsole();
    LogicalView* logicalView() const { return m_logicalView; }
    MemoryStripView* memoryView() const { return m_memoryView; }
    ResultView* resultView() const { return m_resultView; }
    // "This file contains Python code": shown while the scenario's code waits for the user's consent.
    MessageBar* trustBar() const { return m_trustBar; }
    // "Restore / Discard": shown when work autosaved by a Stridescope that did not exit cleanly waits.
    MessageBar* restoreBar() const { return m_restoreBar; }
    Autosave* autosave() const;
    QString statusText() const;

    // Start-up: window geometry and docks, theme, and the last scenario (else the default preset).
    void restoreSession();
    void saveSession() const;

    // What the menus do, callable from tests and main(). Those that would drop unsaved changes ask
    // first (see setUnsavedChangesPrompt) and return false when the user cancels or it fails.
    bool newScenario();
    bool openFile(const QString& path);
    bool save();
    bool saveAs();
    bool saveFile(const QString& path);
    bool loadPreset(const QString& name);
    bool exportImage(const QString& path, QString* error = nullptr);
    void copyImage();
    void run();
    void stop();
    // Inspects the scenario now (start-up); code the user has not allowed is shown, not run.
    void inspectCurrent();
    // The trust bar's answer: the user allows this scenario's code, and it runs.
    void runThisFilesCode();

    // Autosave from now on (when `writeChanges`; a screenshot only looks), and offer the work a
    // Stridescope that did not exit cleanly left behind. Called once, after the session is restored.
    void startAutosave(bool writeChanges);
    // The restore bar's answers. Restored Python code is not run until the user allows it, unless
    // it is the code of the signed file it belongs to.
    bool restoreAutosave();
    void discardAutosave();

    // Asked before unsaved changes would be lost: Save, Discard or Cancel. The default asks the user
    // with a QMessageBox; tests answer without one.
    using UnsavedChangesPrompt = std::function<QMessageBox::StandardButton(const QString& action)>;
    void setUnsavedChangesPrompt(UnsavedChangesPrompt prompt) { m_prompt = std::move(prompt); }
    // Where Save As puts a file without asking (tests); empty: a file dialog.
    void setSaveAsPathProvider(std::function<QString()> provider) { m_saveAsPath = std::move(provider); }
    // How a failed open, save or export is told: a message box by default; tests record it.
    using ErrorReporter = std::function<void(const QString& title, const QString& message)>;
    void setErrorReporter(ErrorReporter reporter) { m_reportError = std::move(reporter); }
    // Which array of an .npz file with several to open: a QInputDialog list by default; tests and
    // runs without a display answer without one. An empty answer cancels the open.
    using MemberChooser = std::function<QString(const QString& path, const QStringList& members)>;
    void setMemberChooser(MemberChooser chooser) { m_chooseMember = std::move(chooser); }

    void setTheme(bool dark, bool colourBlindSafe);
    const Theme& theme() const { return m_theme; }
    // The view that zoom actions act on: the last one focused or hovered.
    ReportView* activeView() const;

    // Runs on the pool thread that builds a report's overviews, before it builds them: tests hold it
    // there to see the report drawn from samples first. Empty by default.
    static void setOverviewBuildGate(std::function<void()> gate);

signals:
    // The first time any part of the window painted (for start-up timing).
    void firstPainted();
    // The overviews of the report on screen were built on a pool thread and its strips repainted
    // from them (they were drawn from samples until then).
    void picturesRefined();

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createCentralArea();
    void createViews();
    void createTileAxisChoice();
    // Logical, Memory and Result, one above the other.
    void createViewSplitter();
    void createMessageBars();
    void createPictureTabs();
    void updatePictureTabs();
    void createStatusBar();
    void createDocks();
    // The menu bar, the request toolbar and Open Recent, and what their actions do.
    void createMenus();
    void connectActions();
    void openWithDialog();
    void exportWithDialog();
    void showAbout();
    // By default the user answers in dialogs: unsaved changes, errors, the .npz member (tests set their own).
    void askWithDialogs();
    void connectModels();
    void connectDocument();
    void connectInspection();
    // A new report (or failure) on screen: the overviews, tile axes, view heights, status and version.
    void reportChanged();
    void connectConsole();
    // The hover status and which view zoom acts on.
    void connectViews();
    // Shares the views' height by what each needs to show its picture whole: the Logical view
    // first (an N-d array's cells must stay readable), the byte strips, which zoom out, after it.
    void shareHeightByContent();
    QWidget* viewFrame(const QString& title, const QString& subtitle, QWidget* view,
                       QWidget* extra = nullptr);

    void inspect(bool now);
    // Builds on a pool thread the overviews the report on screen still lacks (the window shows a
    // report without waiting for a walk over every byte), then repaints the strips.
    void refineOverviews();
    void holdUntrustedCode();
    bool maybeDiscardChanges(const QString& action);
    bool openWithoutAsking(const QString& path);
    // A .npy or .npz file, as a new untitled data-only scenario (see NumpyFileScenario).
    bool openNumpyFile(const QString& path);
    void scenarioEdited();
    void updateTitle();
    void updateTileAxisChoice();
    void fitViewsForANewScenario();
    void updateHoverStatus();
    void showStatus(const QString& text);
    void applyTheme();

    ScenarioDocument* m_document = nullptr;
    InspectionState* m_state = nullptr;
    HighlightModel* m_highlight = nullptr;
    InspectionController* m_controller = nullptr;

    RequestBar* m_requestBar = nullptr;
    OutcomeBanner* m_banner = nullptr;
    MessageBar* m_trustBar = nullptr;
    QPushButton* m_trustRunButton = nullptr;
    MessageBar* m_restoreBar = nullptr;
    WindowAutosave* m_autosave = nullptr;
    LogicalView* m_logicalView = nullptr;
    MemoryStripView* m_memoryView = nullptr;
    ResultView* m_resultView = nullptr;
    ByteRowSync* m_byteRows = nullptr; // one bytes-per-row for the Memory and Result views
    QPointer<ReportView> m_activeView;
    QWidget* m_tileAxes = nullptr;
    QComboBox* m_tileRows = nullptr;
    QComboBox* m_tileColumns = nullptr;
    BufferPanel* m_bufferPanel = nullptr;
    InspectorPanel* m_inspectorPanel = nullptr;
    RequestsPanel* m_requestsPanel = nullptr;
    OutputPanel* m_outputPanel = nullptr;
    PythonConsolePanel* m_consolePanel = nullptr;
    MessageBar* m_consoleBar = nullptr;
    QDockWidget* m_bufferDock = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    QDockWidget* m_outputDock = nullptr;
    QDockWidget* m_consoleDock = nullptr;
    QLabel* m_statusLabel = nullptr;
    QLabel* m_pythonLabel = nullptr;

    std::unique_ptr<WindowActions> m_actions;
    RecentFiles* m_recentFiles = nullptr;

    Theme m_theme = Theme::light();
    UnsavedChangesPrompt m_prompt;
    ErrorReporter m_reportError;
    MemberChooser m_chooseMember;
    std::function<QString()> m_saveAsPath;
    QString m_elementsKey;  // kind, shape and code of the scenario: what decides which elements exist
    QString m_viewStatus;   // what the hovered view says about the element under the mouse
    bool m_holding = false; // holdUntrustedCode() is stopping the controller
    QSplitter* m_viewSplitter = nullptr;
    // A comparison scenario's side-by-side picture, a tab before the first object's views.
    ComparisonView* m_comparisonView = nullptr;
    QTabWidget* m_pictureTabs = nullptr;
    bool m_shareHeightOnReport = true; // the next report is a new scenario's: size the views to it
    bool m_painted = false;
    bool m_shownOnce = false;
    bool m_layoutRestored = false;
};

} // namespace stridescope
