#include "mainwindow.h"

#include "filedrop.h"
#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/imageexporter.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/reporttext.h"
#include "gui/panels/bufferpanel.h"
#include "gui/panels/consoleinput.h"
#include "gui/panels/copystepplayer.h"
#include "gui/panels/inspectorpanel.h"
#include "gui/panels/messagebar.h"
#include "gui/panels/outcomebanner.h"
#include "gui/panels/outputpanel.h"
#include "gui/panels/pythoncodeeditor.h"
#include "gui/panels/pythonconsolepanel.h"
#include "gui/panels/requestbar.h"
#include "gui/panels/requestspanel.h"
#include "gui/scenario/numpyfilescenario.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/scenario/scenariofile.h"
#include "gui/views/byterowsync.h"
#include "gui/views/comparisonview.h"
#include "gui/views/logicalview.h"
#include "gui/views/memorystripview.h"
#include "gui/views/resultview.h"
#include "recentfiles.h"
#include "viewframe.h"
#include "windowactions.h"
#include "windowautosave.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

namespace stridescope {

namespace {

// Settings keys, in one place.
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kDark = QStringLiteral("view/dark");
const QString kColourBlind = QStringLiteral("view/colourBlindSafe");
const QString kLastScenario = QStringLiteral("session/scenario");
const QString kLastPath = QStringLiteral("session/filePath");
const QString kLastModified = QStringLiteral("session/modified");
const QString kLastSignature = QStringLiteral("session/signature"); // of kLastScenario, when its code may run
const QString kScenarioFilter = QStringLiteral("Stridescope scenarios (*.stridescope *.json)");
const QString kScenarioSuffix = ScenarioFile::suffix.toString();
constexpr int kStateVersion = 1;

Scenario newScenarioTemplate()
{
    Scenario scenario;
    scenario.kind = Scenario::SourceKind::Strided;
    scenario.strided.format = "B";
    scenario.strided.shape = {3, 4};
    return scenario;
}

// The views of a report share one ReportData, made on a pool thread (InspectionController) with the
// overviews of short strips; a long strip's overview (a walk over every byte) follows after the
// report is shown (MainWindow::refineOverviews).
std::shared_ptr<const ReportData> prepareReport(const std::shared_ptr<const InspectionReport>& report)
{
    auto data = ReportData::forWindow(report);
    data->prepareImmediateOverviews();
    return data;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_document(new ScenarioDocument(this)), m_state(new InspectionState(this)),
      m_highlight(new HighlightModel(this)),
      m_controller(new InspectionController(m_state, &prepareReport, this))
{
    setObjectName(QStringLiteral("StridescopeMainWindow"));
    // The request matrix is cheap next to the rest (17 PyObject_GetBuffer calls, no copy: see README),
    // so it is always made and the Requests tab never waits for an inspection of its own.
    Inspector::Options options = m_controller->options();
    options.probe.requestMatrix = true;
    m_controller->setOptions(options);
    // A scenario or NumPy file dropped on the window opens as if chosen in File > Open.
    new FileDrop(
        this,
        [](const QString& path) {
            return ScenarioFile::isFileName(path) || NumpyFileScenario::isNumpyFileName(path);
        },
        [this](const QString& path) { openFile(path); });
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    askWithDialogs();
    createCentralArea();
    createDocks();
    createMenus();
    m_autosave = new WindowAutosave(m_document, m_bufferPanel->codeEditor(), m_restoreBar, this);
    connect(m_autosave, &WindowAutosave::status, this, &MainWindow::showStatus);
    connectModels();
    // Something sensible before any session is restored: the default teaching scenario.
    if (const auto preset = PresetLibrary::find(PresetLibrary::defaultName()))
        m_document->reset(preset->scenario, ScenarioDocument::CodeTrust::Trusted, preset->notes);
    resize(1400, 900);
    installEventFilter(this);
}

MainWindow::~MainWindow() = default;

void MainWindow::askWithDialogs()
{
    m_prompt = [this](const QString& action) {
        return QMessageBox::warning(
            this, tr("Unsaved changes"),
            tr("The scenario has changes that are not saved. Save them before you %1?").arg(action),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };
    m_reportError = [this](const QString& title, const QString& message) {
        QMessageBox::warning(this, title, message);
    };
    m_chooseMember = [this](const QString& path, const QStringList& members) {
        bool ok = false;
        const QString chosen = QInputDialog::getItem(
            this, tr("Open a NumPy archive"),
            tr("%1 holds %2 arrays. Which one? (The Buffer dock switches between them later.)")
                .arg(QFileInfo(path).fileName())
                .arg(members.size()),
            members, 0, false, &ok);
        return ok ? chosen : QString();
    };
}

bool MainWindow::showInspectorTab(const QString& name)
{
    QTabWidget* tabs = m_inspectorPanel->tabs();
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->tabText(i).remove(QLatin1Char('&')).compare(name, Qt::CaseInsensitive) == 0) {
            m_inspectorDock->raise();
            tabs->setCurrentIndex(i);
            return true;
        }
    return false;
}

// ---- construction ----------------------------------------------------------------------------

QWidget* MainWindow::viewFrame(const QString& title, const QString& subtitle, QWidget* view, QWidget* extra)
{
    return new ViewFrame(title, subtitle, view, extra, this);
}

void MainWindow::createCentralArea()
{
    // The widgets are made in the order Tab moves through them.
    m_requestBar = new RequestBar(m_document, this);
    m_banner = new OutcomeBanner(m_state, this);
    createViews();
    createTileAxisChoice();
    createViewSplitter();
    createMessageBars();

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    layout->addWidget(m_restoreBar);
    layout->addWidget(m_trustBar);
    layout->addWidget(m_consoleBar);
    layout->addWidget(m_banner);
    createPictureTabs();
    layout->addWidget(m_pictureTabs, 1);
    setCentralWidget(central);
    createStatusBar();
}

void MainWindow::createViews()
{
    m_logicalView = new LogicalView(m_state, m_highlight, this);
    m_logicalView->setObjectName(QStringLiteral("logicalView"));
    m_memoryView = new MemoryStripView(m_state, m_highlight, this);
    m_memoryView->setObjectName(QStringLiteral("memoryView"));
    m_resultView = new ResultView(m_state, m_highlight, this);
    m_resultView->setObjectName(QStringLiteral("resultView"));
    m_resultView->setExplanationVisible(false); // the Outcome banner above says it; the bytes need the room
    m_byteRows = new ByteRowSync(m_state, m_memoryView, m_resultView, this);
    m_activeView = m_logicalView;
}

void MainWindow::createTileAxisChoice()
{
    // For 3-D and up: which two axes make one tile of the logical grid.
    m_tileAxes = new QWidget(this);
    m_tileAxes->setObjectName(QStringLiteral("tileAxes"));
    m_tileRows = new QComboBox(m_tileAxes);
    m_tileColumns = new QComboBox(m_tileAxes);
    auto* tileLayout = new QHBoxLayout(m_tileAxes);
    tileLayout->setContentsMargins(0, 0, 0, 0);
    tileLayout->addWidget(new QLabel(tr("tiles: rows"), m_tileAxes));
    tileLayout->addWidget(m_tileRows);
    tileLayout->addWidget(new QLabel(tr("columns"), m_tileAxes));
    tileLayout->addWidget(m_tileColumns);
    m_tileAxes->setVisible(false);
    const auto tileChanged = [this] {
        m_logicalView->setTileAxes(m_tileRows->currentData().toInt(), m_tileColumns->currentData().toInt());
    };
    connect(m_tileRows, &QComboBox::activated, this, tileChanged);
    connect(m_tileColumns, &QComboBox::activated, this, tileChanged);
}

void MainWindow::createViewSplitter()
{
    auto* views = m_viewSplitter = new QSplitter(Qt::Vertical, this);
    views->setObjectName(QStringLiteral("viewSplitter"));
    views->setChildrenCollapsible(false);
    views->addWidget(viewFrame(tr("Logical"), tr("what Python indexes; colour = position in C order"),
                               m_logicalView, m_tileAxes));
    views->addWidget(viewFrame(tr("Memory"), tr("the bytes the source points into"), m_memoryView));
    // The Result view with the copy's step player under it.
    auto* result = new QWidget(this);
    auto* resultLayout = new QVBoxLayout(result);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    resultLayout->setSpacing(0);
    resultLayout->addWidget(m_resultView, 1);
    resultLayout->addWidget(new CopyStepPlayer(m_state, m_highlight, result));
    views->addWidget(viewFrame(tr("Result"), tr("what PyMemoryView_GetContiguous returned"), result));
    for (int i = 0; i < 3; ++i)
        views->setStretchFactor(i, 1);
}

void MainWindow::createMessageBars()
{
    m_trustBar = new MessageBar(MessageBar::Kind::Warning, this);
    m_trustBar->setObjectName(QStringLiteral("trustBar"));
    m_trustRunButton = m_trustBar->addButton(tr("Run this file's code"), QStringLiteral("trustRunButton"));
    m_trustRunButton->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    connect(m_trustRunButton, &QPushButton::clicked, this, &MainWindow::runThisFilesCode);
    m_restoreBar = new MessageBar(MessageBar::Kind::Information, this);
    m_restoreBar->setObjectName(QStringLiteral("restoreBar"));
    m_consoleBar = new MessageBar(MessageBar::Kind::Information, this);
    m_consoleBar->setObjectName(QStringLiteral("consoleBar"));
    connect(m_consoleBar->addButton(tr("Draw the Scenario"), QStringLiteral("drawScenarioButton")),
            &QPushButton::clicked, this, [this] { inspect(true); });
    connect(m_restoreBar->addButton(tr("Restore"), QStringLiteral("restoreButton")), &QPushButton::clicked,
            this, &MainWindow::restoreAutosave);
    connect(m_restoreBar->addButton(tr("Discard"), QStringLiteral("discardButton")), &QPushButton::clicked,
            this, &MainWindow::discardAutosave);
}

void MainWindow::createPictureTabs()
{
    // A comparison scenario puts its side-by-side picture in a tab before the views (updated with the
    // report); otherwise there is one tab and no tab bar.
    m_comparisonView = new ComparisonView(m_state, this);
    m_pictureTabs = new QTabWidget(this);
    m_pictureTabs->setObjectName(QStringLiteral("pictureTabs"));
    m_pictureTabs->setDocumentMode(true);
    m_pictureTabs->setTabBarAutoHide(true);
    m_pictureTabs->addTab(m_viewSplitter, tr("Views"));
    connect(m_state, &InspectionState::changed, this, &MainWindow::updatePictureTabs);
}

void MainWindow::updatePictureTabs()
{
    const int at = m_pictureTabs->indexOf(m_comparisonView);
    if (m_comparisonView->hasComparison() && at < 0) {
        m_pictureTabs->insertTab(0, m_comparisonView, tr("Side by side"));
        m_pictureTabs->setCurrentIndex(0);
    } else if (!m_comparisonView->hasComparison() && at >= 0) {
        m_pictureTabs->removeTab(at);
    }
    const auto report = m_state->report();
    m_pictureTabs->setTabText(
        m_pictureTabs->indexOf(m_viewSplitter),
        m_comparisonView->hasComparison()
            ? tr("'%1' alone").arg(QString::fromStdString(report->comparison->firstName))
            : tr("Views"));
}

void MainWindow::createStatusBar()
{
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("hoverStatus"));
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pythonLabel = new QLabel(this);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_pythonLabel);
}

void MainWindow::createDocks()
{
    // Left and right docks reach the bottom: a dock moved to the bottom sits under the pictures only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    m_bufferPanel = new BufferPanel(m_document, m_state, this);
    m_bufferDock = new QDockWidget(tr("Buffer"), this);
    m_bufferDock->setObjectName(QStringLiteral("bufferDock"));
    m_bufferDock->setWidget(m_bufferPanel);
    addDockWidget(Qt::LeftDockWidgetArea, m_bufferDock);

    m_inspectorPanel = new InspectorPanel(m_document, m_state, this);
    m_requestsPanel = new RequestsPanel(m_state, this);
    m_inspectorPanel->tabs()->addTab(m_requestsPanel, tr("Requests"));
    connect(m_inspectorPanel->tabs(), &QTabWidget::currentChanged, this, [this] {
        // The table needs more width than the fields: the dock grows to show it, up to half the window.
        if (m_inspectorPanel->tabs()->currentWidget() == m_requestsPanel &&
            m_inspectorDock->width() < width() / 2)
            resizeDocks({m_inspectorDock}, {std::min(m_requestsPanel->tableWidth(), width() / 2)},
                        Qt::Horizontal);
    });
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspectorPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

    m_outputPanel = new OutputPanel(m_state, this);
    m_outputDock = new QDockWidget(tr("Output"), this);
    m_outputDock->setObjectName(QStringLiteral("outputDock"));
    m_outputDock->setWidget(m_outputPanel);
    // Under the buffer editor, like an IDE's console under its editor: the pictures in the middle
    // keep the whole height.
    addDockWidget(Qt::LeftDockWidgetArea, m_outputDock);
    splitDockWidget(m_bufferDock, m_outputDock, Qt::Vertical);

    m_consolePanel = new PythonConsolePanel(this);
    m_consoleDock = new QDockWidget(tr("Console"), this);
    m_consoleDock->setObjectName(QStringLiteral("consoleDock"));
    m_consoleDock->setWidget(m_consolePanel);
    // A tab beside the Output: both are text under the editor; the Output is in front.
    tabifyDockWidget(m_outputDock, m_consoleDock);
    m_outputDock->raise();
}

void MainWindow::createMenus()
{
    m_actions = std::make_unique<WindowActions>(this, m_document->undoStack());
    m_actions->addMenus(this, {m_bufferDock, m_inspectorDock, m_outputDock, m_consoleDock});
    m_actions->addRequestToolBar(this, m_requestBar);
    m_recentFiles = new RecentFiles(m_actions->recentMenu, this);
    connect(m_recentFiles, &RecentFiles::openRequested, this, [this](const QString& path) {
        if (!openFile(path) && !QFileInfo::exists(path))
            m_recentFiles->remove(path);
    });
    connectActions();
}

void MainWindow::connectActions()
{
    const WindowActions& actions = *m_actions;
    connect(actions.newScenario, &QAction::triggered, this, [this] { newScenario(); });
    connect(actions.open, &QAction::triggered, this, &MainWindow::openWithDialog);
    connect(actions.save, &QAction::triggered, this, [this] { save(); });
    connect(actions.saveAs, &QAction::triggered, this, [this] { saveAs(); });
    connect(actions.exportImage, &QAction::triggered, this, &MainWindow::exportWithDialog);
    connect(actions.copyImage, &QAction::triggered, this, [this] { copyImage(); });
    connect(actions.quit, &QAction::triggered, this, [this] { close(); });
    connect(actions.run, &QAction::triggered, this, [this] { run(); });
    connect(actions.stop, &QAction::triggered, this, [this] { stop(); });
    connect(actions.zoomIn, &QAction::triggered, this, [this] {
        if (auto* v = activeView())
            v->zoomIn();
    });
    connect(actions.zoomOut, &QAction::triggered, this, [this] {
        if (auto* v = activeView())
            v->zoomOut();
    });
    connect(actions.fit, &QAction::triggered, this, [this] {
        if (auto* v = activeView())
            v->fitToWindow();
    });
    connect(actions.lightTheme, &QAction::triggered, this,
            [this] { setTheme(false, m_theme.colourBlindSafe()); });
    connect(actions.darkTheme, &QAction::triggered, this,
            [this] { setTheme(true, m_theme.colourBlindSafe()); });
    connect(actions.colourBlindSafe, &QAction::triggered, this,
            [this](bool on) { setTheme(m_theme.isDark(), on); });
    for (const WindowActions::PresetAction& preset : actions.presets)
        connect(preset.action, &QAction::triggered, this, [this, name = preset.name] { loadPreset(name); });
    connect(actions.about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::openWithDialog()
{
    if (!maybeDiscardChanges(tr("open another scenario")))
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a scenario or a NumPy file"), QFileInfo(m_document->filePath()).path(),
        tr("Scenarios and NumPy files (*.stridescope *.json *.npy *.npz)") + QStringLiteral(";;") +
            kScenarioFilter + QStringLiteral(";;") + NumpyFileScenario::fileFilter() + QStringLiteral(";;") +
            tr("All files (*)"));
    if (!path.isEmpty())
        openWithoutAsking(path);
}

void MainWindow::exportWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export image"), QStringLiteral("stridescope.png"), ImageExporter::fileFilter());
    QString error;
    if (!path.isEmpty() && !exportImage(path, &error))
        m_reportError(tr("Cannot export"), error);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Stridescope"),
        tr("<h3>Stridescope %1</h3><p>See what <tt>PyMemoryView_GetContiguous</tt> does to a "
           "buffer: which bytes each element lives in, and whether the result aliases the memory "
           "or copies it.</p><p>Embedded Python %2.</p>")
            .arg(QStringLiteral(STRIDESCOPE_VERSION), m_pythonLabel->text()));
}

namespace {

std::function<void()>& overviewBuildGate()
{
    static std::function<void()> gate;
    return gate;
}

} // namespace

void MainWindow::setOverviewBuildGate(std::function<void()> gate)
{
    overviewBuildGate() = std::move(gate);
}

void MainWindow::refineOverviews()
{
    auto data = m_state->drawnData();
    if (!data || m_state->failure())
        return;
    if (data->overviewsReady() || !data->claimOverviewBuild())
        return;
    QPointer<MainWindow> self(this);
    QThreadPool::globalInstance()->start([data, self, gate = overviewBuildGate()] {
        if (gate)
            gate();
        data->prepareOverviews();
        QMetaObject::invokeMethod(
            qApp,
            [data, self] {
                // Only the report still on screen is repainted; a newer one has its own task.
                if (!self || self->m_state->drawnData() != data)
                    return;
                self->m_memoryView->refreshPictures();
                self->m_resultView->refreshPictures();
                emit self->picturesRefined();
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::connectModels()
{
    connectDocument();
    connectInspection();
    connectConsole();
    connect(m_bufferPanel->codeEditor(), &PythonCodeEditor::runRequested, this, &MainWindow::run);
    connect(m_bufferPanel->codeEditor(), &PythonCodeEditor::stopRequested, this, &MainWindow::stop);
    connect(m_outputPanel, &OutputPanel::attentionWanted, this, [this] {
        if (m_outputDock->isHidden())
            m_outputDock->show();
        m_outputDock->raise();
    });
    connectViews();
    updateTitle();
}

void MainWindow::connectDocument()
{
    connect(m_document, &ScenarioDocument::changed, this, &MainWindow::scenarioEdited);
    connect(m_document, &ScenarioDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ScenarioDocument::filePathChanged, this, &MainWindow::updateTitle);
    // The user allowed the code that waits (the bar, Run): it runs now.
    connect(m_document, &ScenarioDocument::codeTrustChanged, this, [this] {
        if (m_trustBar->isVisible() && m_document->mayRunCode())
            inspect(true);
    });
}

void MainWindow::connectInspection()
{
    // An inspection of an earlier scenario that ends (or is stopped) after this one was held must
    // not leave its report on screen.
    connect(m_controller, &InspectionController::finished, this, [this] {
        if (!m_document->mayRunCode() && !m_holding)
            holdUntrustedCode();
    });
    connect(m_state, &InspectionState::busyChanged, this, [this](bool busy) {
        m_actions->stop->setEnabled(busy);
        m_bufferPanel->codeEditor()->setRunning(busy);
    });
    connect(m_state, &InspectionState::changed, this, &MainWindow::reportChanged);
    connect(m_banner, &OutcomeBanner::stopRequested, this, &MainWindow::stop);
}

void MainWindow::reportChanged()
{
    refineOverviews();
    updateTileAxisChoice();
    if (m_shareHeightOnReport && m_state->report() && !m_state->failure()) {
        m_shareHeightOnReport = false;
        shareHeightByContent();
    }
    updateHoverStatus();
    if (const auto report = m_state->report(); report && !report->pythonVersion.empty())
        m_pythonLabel->setText(
            tr("Python %1")
                .arg(QString::fromStdString(report->pythonVersion).section(QLatin1Char(' '), 0, 0)));
}

void MainWindow::connectViews()
{
    connect(m_highlight, &HighlightModel::changed, this, [this] {
        m_viewStatus.clear();
        updateHoverStatus();
    });
    for (ReportView* view : {static_cast<ReportView*>(m_logicalView), static_cast<ReportView*>(m_memoryView),
                             static_cast<ReportView*>(m_resultView)}) {
        connect(view, &ReportView::statusTextChanged, this, [this](const QString& text) {
            m_viewStatus = text;
            updateHoverStatus();
        });
        view->viewport()->installEventFilter(this);
    }
    // Zoom acts on the view the user last focused (or hovered, see eventFilter).
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) {
        for (QWidget* w = now; w; w = w->parentWidget())
            if (auto* view = qobject_cast<ReportView*>(w)) {
                m_activeView = view;
                return;
            }
    });
}

// ---- behaviour -------------------------------------------------------------------------------

void MainWindow::scenarioEdited()
{
    // A pinned element stays pinned while the elements stay the same (flipping the request to
    // compare, say); a new shape or source may not have it at all.
    const Scenario& scenario = m_document->scenario();
    QString elements = QString::number(int(scenario.kind)) + QLatin1Char('|') +
                       QString::fromStdString(scenario.code) + QLatin1Char('|') +
                       QString::fromStdString(scenario.path) + QLatin1Char('|') +
                       QString::fromStdString(scenario.member);
    for (Extent extent : scenario.strided.shape)
        elements += QLatin1Char('|') + QString::number(extent);
    if (elements != m_elementsKey) {
        m_elementsKey = elements;
        m_highlight->clear();
    }
    inspect(false);
    updateTitle();
}

void MainWindow::raiseConsole()
{
    m_consoleDock->show();
    m_consoleDock->raise();
    m_consolePanel->input()->setFocus();
}

void MainWindow::connectConsole()
{
    m_consolePanel->setStartProvider([this] {
        return PythonConsolePanel::Start{m_document->scenario(), m_controller->options(),
                                         m_document->mayRunCode()};
    });
    connect(m_document, &ScenarioDocument::changed, m_consolePanel, &PythonConsolePanel::scenarioChanged);
    // show(obj): the views, the banner and the inspector all tell about obj until the scenario is
    // inspected again (an edit, Run, or the bar's button).
    connect(
        m_consolePanel, &PythonConsolePanel::shown, this,
        [this](std::shared_ptr<const InspectionReport> report, const QString& command) {
            QString line = command.section(QLatin1Char('\n'), 0, 0).trimmed();
            if (line.size() > 60 || command.contains(QLatin1Char('\n')))
                line = line.left(57) + QStringLiteral("…");
            m_consoleBar->setText(
                tr("<b>The views draw an object from the Console</b> (<tt>%1</tt>), a %2, "
                   "not the scenario.")
                    .arg(line.toHtmlEscaped(), QString::fromStdString(report->sourceType).toHtmlEscaped()));
            m_consoleBar->show();
            m_state->setReport(ReportData::forWindow(std::move(report)));
        });
    connect(m_controller, &InspectionController::finished, m_consoleBar, &QWidget::hide);
}

void MainWindow::inspect(bool now)
{
    // The one gate between the document and the interpreter: code the user has not allowed is
    // never handed to it.
    if (!m_document->mayRunCode()) {
        holdUntrustedCode();
        return;
    }
    m_trustBar->hide();
    if (now)
        m_controller->inspectNow(m_document->scenario());
    else
        m_controller->requestInspection(m_document->scenario());
}

void MainWindow::inspectCurrent()
{
    inspect(true);
}

void MainWindow::holdUntrustedCode()
{
    // Nothing queued or running for an earlier scenario may land on top of this. (Stopping may
    // deliver at once, and the delivery comes back here: once is enough.)
    m_holding = true;
    m_controller->stop();
    m_holding = false;
    const bool fromFile = !m_document->filePath().isEmpty();
    m_trustBar->setText(
        fromFile ? tr("<b>This file contains Python code.</b> It has not been run: Stridescope runs the code "
                      "of a file only when you saved the file yourself or say so. Read it in the Buffer dock "
                      "first.")
                 : tr("<b>This scenario contains Python code that has not been run.</b> It was restored, not "
                      "saved by you, and Stridescope runs such code only when you say so. Read it in the "
                      "Buffer dock first."));
    m_trustRunButton->setText(fromFile ? tr("Run this file's code") : tr("Run this code"));
    m_trustBar->show();
    InspectionState::Failure notRun;
    notRun.notRun = true;
    notRun.message = tr("The code was not run, so there is no buffer to show. Click “%1” above to run it.")
                         .arg(m_trustRunButton->text());
    m_state->setReport(nullptr); // no stale report of an earlier scenario either
    m_state->setFailure(notRun);
}

void MainWindow::runThisFilesCode()
{
    m_document->allowCurrentCode();
    inspect(true);
}

void MainWindow::run()
{
    // Run commits the code in the editor: it becomes part of the scenario (one undo step). Running
    // it is the user's consent: from now on it is their code.
    if (m_document->scenario().runsUserCode()) {
        Scenario scenario = m_document->scenario();
        scenario.code = m_bufferPanel->codeEditor()->code().toStdString();
        m_document->allowCode(scenario);
        m_document->edit(scenario, tr("Edit the Python code"));
    }
    inspect(true);
}

void MainWindow::stop()
{
    m_controller->stop();
    showStatus(tr("Stop: interrupting the Python code…"));
}

ReportView* MainWindow::activeView() const
{
    return m_activeView ? m_activeView.data() : static_cast<ReportView*>(m_logicalView);
}

QString MainWindow::statusText() const
{
    return m_statusLabel->text();
}

void MainWindow::showStatus(const QString& text)
{
    m_statusLabel->setText(text);
}

void MainWindow::updateHoverStatus()
{
    if (!m_viewStatus.isEmpty()) {
        showStatus(m_viewStatus);
        return;
    }
    const HighlightModel::Target target = m_highlight->current();
    const auto data = m_state->drawnData();
    if (target.isEmpty() || !data) {
        showStatus(QString());
        return;
    }
    const QString pinned =
        m_highlight->pinned().isEmpty() ? QString() : tr(" (pinned: click again to unpin)");
    // The sentence the views' hover shows, for a pinned target too (fields, padding, sharing).
    showStatus(ReportText(*data).describe(target) + pinned);
}

void MainWindow::updateTileAxisChoice()
{
    const auto report = m_state->drawnReport(); // the logical view's
    const int ndim = report ? report->sourceLayout.ndim() : 0;
    m_tileAxes->setVisible(ndim >= 3);
    if (ndim < 3 || m_tileRows->count() == ndim)
        return;
    for (QComboBox* box : {m_tileRows, m_tileColumns}) {
        const QSignalBlocker block(box);
        box->clear();
        for (int axis = 0; axis < ndim; ++axis)
            box->addItem(tr("axis %1").arg(axis), axis);
    }
    m_tileRows->setCurrentIndex(ndim - 2);
    m_tileColumns->setCurrentIndex(ndim - 1);
    m_logicalView->setTileAxes(ndim - 2, ndim - 1);
}

void MainWindow::updateTitle()
{
    const QString path = m_document->filePath();
    QString name = path.isEmpty()
                       ? (m_document->notes().title.isEmpty() ? tr("Untitled") : m_document->notes().title)
                       : QFileInfo(path).fileName();
    setWindowTitle(QStringLiteral("%1[*] — Stridescope").arg(name));
    setWindowModified(m_document->isModified());
}

bool MainWindow::maybeDiscardChanges(const QString& action)
{
    if (!m_document->isModified())
        return true;
    switch (m_prompt(action)) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

bool MainWindow::newScenario()
{
    if (!maybeDiscardChanges(tr("start a new one")))
        return false;
    fitViewsForANewScenario();
    m_document->reset(newScenarioTemplate(), ScenarioDocument::CodeTrust::Trusted);
    return true;
}

void MainWindow::fitViewsForANewScenario()
{
    // Zoom and scroll belong to the scenario they were chosen for: the next one starts fitted.
    for (ReportView* view : std::initializer_list<ReportView*>{m_logicalView, m_memoryView, m_resultView})
        view->fitToWindow();
    m_shareHeightOnReport = true;
}

void MainWindow::shareHeightByContent()
{
    const QList<int> sizes = m_viewSplitter->sizes();
    const std::array<ReportView*, 3> views{m_logicalView, m_memoryView, m_resultView};
    if (sizes.size() != int(views.size()))
        return;
    int total = 0;
    std::array<int, 3> wanted{};
    for (std::size_t i = 0; i < views.size(); ++i) {
        total += sizes[int(i)];
        // The frame around the viewport (caption, selectors, scroll bar) stays as it is.
        const int frame = sizes[int(i)] - views[i]->viewport()->height();
        wanted[i] = views[i]->wantedViewportHeight(views[i]->viewport()->width()) + frame;
    }
    if (total <= 0)
        return;
    const int least = total / 6;
    const int strips = wanted[1] + wanted[2];
    std::array<int, 3> share{};
    if (wanted[0] + strips <= total) {
        // Every picture fits whole: the spare height is spread evenly.
        const int even = (total - wanted[0] - strips) / 3;
        share = {wanted[0] + even, wanted[1] + even, 0};
    } else {
        // The Logical view takes what it needs, up to half. The two strips share the rest: one that
        // needs less than half of it gives the other the difference; otherwise they get the same, so
        // a byte looks the same size in both.
        share[0] = std::clamp(wanted[0], least, total / 2);
        const int rest = total - share[0];
        share[1] = wanted[1] < rest / 2 ? wanted[1] : wanted[2] < rest / 2 ? rest - wanted[2] : rest / 2;
        share[1] = std::clamp(share[1], least, rest - least);
    }
    share[2] = total - share[0] - share[1];
    m_viewSplitter->setSizes({share[0], share[1], share[2]});
}

bool MainWindow::openFile(const QString& path)
{
    if (!maybeDiscardChanges(tr("open another scenario")))
        return false;
    return openWithoutAsking(path);
}

bool MainWindow::openWithoutAsking(const QString& path)
{
    if (NumpyFileScenario::isNumpyFileName(path))
        return openNumpyFile(path);
    QString error;
    if (!m_document->open(path, &error)) {
        showStatus(error);
        m_reportError(tr("Cannot open"), error);
        return false;
    }
    fitViewsForANewScenario();
    m_recentFiles->add(path);
    showStatus(m_document->mayRunCode()
                   ? tr("Opened %1").arg(QDir::toNativeSeparators(path))
                   : tr("Opened %1: its Python code has not been run").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool MainWindow::openNumpyFile(const QString& path)
{
    QString error;
    auto opened = NumpyFileScenario::open(path, QString(), &error);
    if (opened && opened->isArchive && opened->members.isEmpty())
        error = tr("%1 holds no arrays (no .npy members)").arg(path);
    if (!opened || !error.isEmpty()) {
        showStatus(error);
        m_reportError(tr("Cannot open"), error);
        return false;
    }
    if (opened->scenario.member.empty() && opened->members.size() > 1) {
        const QString chosen = m_chooseMember(path, opened->members);
        if (chosen.isEmpty())
            return false; // cancelled
        opened->scenario.member = chosen.toStdString();
    }
    // A new untitled document that refers to the file: Save writes a scenario, never over the array.
    ScenarioNotes notes;
    notes.title = NumpyFileScenario::title(opened->scenario);
    fitViewsForANewScenario();
    m_document->reset(opened->scenario, ScenarioDocument::CodeTrust::Trusted, notes);
    m_recentFiles->add(path);
    m_bufferDock->raise();
    showStatus(tr("Opened %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    return saveFile(m_document->filePath());
}

bool MainWindow::saveAs()
{
    QString path;
    if (m_saveAsPath) {
        path = m_saveAsPath();
    } else {
        const QString suggestion = m_document->filePath().isEmpty()
                                       ? (m_document->notes().title.isEmpty() ? QStringLiteral("scenario")
                                                                              : m_document->notes().title) +
                                             kScenarioSuffix
                                       : m_document->filePath();
        QFileDialog dialog(this, tr("Save the scenario"), suggestion, kScenarioFilter);
        dialog.setAcceptMode(QFileDialog::AcceptSave);
        dialog.setDefaultSuffix(kScenarioSuffix.mid(1));
        if (dialog.exec() == QDialog::Accepted)
            path = dialog.selectedFiles().value(0);
    }
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += kScenarioSuffix;
    return saveFile(path);
}

bool MainWindow::saveFile(const QString& path)
{
    QString error, signingError;
    if (!m_document->save(path, &error, &signingError)) {
        showStatus(error);
        m_reportError(tr("Cannot save"), error);
        return false;
    }
    m_recentFiles->add(path);
    showStatus(signingError.isEmpty()
                   ? tr("Saved %1").arg(QDir::toNativeSeparators(path))
                   : tr("Saved %1, but not signed (it will open as a file you did not write): %2")
                         .arg(QDir::toNativeSeparators(path), signingError));
    return true;
}

bool MainWindow::loadPreset(const QString& name)
{
    const auto preset = PresetLibrary::find(name);
    if (!preset || !maybeDiscardChanges(tr("open the preset “%1”").arg(preset->notes.title)))
        return false;
    fitViewsForANewScenario();
    m_document->loadPreset(*preset); // a new untitled document, never the open file's content
    m_inspectorDock->raise();        // its explanation is the point of a preset
    return true;
}

bool MainWindow::exportImage(const QString& path, QString* error)
{
    const auto report = m_state->drawnReport(); // what is on screen
    if (!report) {
        if (error)
            *error = tr("there is no report to draw yet");
        return false;
    }
    if (m_state->failure()) {
        if (error)
            *error = tr("the picture on screen is of the previous scenario: this one made no buffer");
        return false;
    }
    if (!ImageExporter::write(path, *report, ImageExporter::allViews, m_theme, error))
        return false;
    showStatus(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void MainWindow::copyImage()
{
    if (const auto report = m_state->drawnReport(); report && !m_state->failure()) {
        QGuiApplication::clipboard()->setImage(
            ImageExporter::image(*report, ImageExporter::allViews, m_theme));
        showStatus(tr("Copied the picture to the clipboard"));
    } else if (report) {
        showStatus(tr("Not copied: the picture on screen is of the previous scenario"));
    }
}

void MainWindow::setTheme(bool dark, bool colourBlindSafe)
{
    m_theme = dark ? Theme::dark(colourBlindSafe) : Theme::light(colourBlindSafe);
    applyTheme();
}

void MainWindow::applyTheme()
{
    // The widgets follow the pictures: a dark picture in a light window is hard on the eyes.
    const QPalette palette =
        m_theme.isDark() ? Theme::darkWidgetPalette() : QApplication::style()->standardPalette();
    QApplication::setPalette(palette);
    m_requestBar->followApplicationPalette(); // a style sheet does not follow the palette by itself
    for (ReportView* view : {static_cast<ReportView*>(m_logicalView), static_cast<ReportView*>(m_memoryView),
                             static_cast<ReportView*>(m_resultView)})
        view->setTheme(m_theme);
    m_banner->setTheme(m_theme);
    m_comparisonView->setTheme(m_theme);
    m_requestsPanel->setTheme(m_theme);
    m_trustBar->setTheme(m_theme);
    m_restoreBar->setTheme(m_theme);
    m_consoleBar->setTheme(m_theme);
    m_consolePanel->setTheme(m_theme);
    m_bufferPanel->codeEditor()->setDark(m_theme.isDark());
    const QSignalBlocker blockLight(m_actions->lightTheme), blockDark(m_actions->darkTheme),
        blockSafe(m_actions->colourBlindSafe);
    m_actions->lightTheme->setChecked(!m_theme.isDark());
    m_actions->darkTheme->setChecked(m_theme.isDark());
    m_actions->colourBlindSafe->setChecked(m_theme.colourBlindSafe());
}

// ---- session ---------------------------------------------------------------------------------

void MainWindow::restoreSession()
{
    QSettings settings;
    restoreGeometry(settings.value(kGeometry).toByteArray());
    m_layoutRestored = restoreState(settings.value(kState).toByteArray(), kStateVersion);
    setTheme(settings.value(kDark, false).toBool(), settings.value(kColourBlind, false).toBool());

    const QByteArray json = settings.value(kLastScenario).toByteArray();
    if (json.isEmpty())
        return; // first start: the default preset stays
    ScenarioNotes notes;
    const auto scenario = ScenarioFile::parse(json, nullptr, &notes);
    if (!scenario)
        return;
    // The last scenario runs again only when this user's Stridescope signed it when it saved the
    // session (its code was allowed then): settings can be written by anything, the secret cannot.
    const bool signedSession = m_document->trustStore().verify(
        ScenarioDocument::canonicalContent(*scenario, notes), settings.value(kLastSignature).toByteArray());
    const auto trust = signedSession || !scenario->runsUserCode() ? ScenarioDocument::CodeTrust::Trusted
                                                                  : ScenarioDocument::CodeTrust::Untrusted;
    const QString path = settings.value(kLastPath).toString();
    if (!path.isEmpty() && QFileInfo::exists(path)) {
        // Unsaved edits come back as one undoable edit on top of the file, still unsaved.
        if (settings.value(kLastModified, false).toBool()) {
            m_document->restoreUnsaved(*scenario, notes, path, trust);
            return;
        }
        if (m_document->open(path, nullptr)) // the file's own signature decides
            return;
    }
    m_document->reset(*scenario, trust, notes);
}

void MainWindow::saveSession() const
{
    QSettings settings;
    settings.setValue(kGeometry, saveGeometry());
    settings.setValue(kState, saveState(kStateVersion));
    settings.setValue(kDark, m_theme.isDark());
    settings.setValue(kColourBlind, m_theme.colourBlindSafe());
    const QByteArray scenario =
        ScenarioDocument::canonicalContent(m_document->scenario(), m_document->notes());
    settings.setValue(kLastScenario, scenario);
    if (m_document->scenario().runsUserCode() && m_document->mayRunCode())
        settings.setValue(kLastSignature, m_document->trustStore().signature(scenario));
    else
        settings.remove(kLastSignature);
    settings.setValue(kLastPath, m_document->filePath());
    settings.setValue(kLastModified, m_document->isModified());
}

// ---- autosave --------------------------------------------------------------------------------

void MainWindow::startAutosave(bool writeChanges)
{
    m_autosave->start(writeChanges);
}

bool MainWindow::restoreAutosave()
{
    return m_autosave->restore();
}

void MainWindow::discardAutosave()
{
    m_autosave->discard();
}

Autosave* MainWindow::autosave() const
{
    return m_autosave->autosave();
}

// ---- events ----------------------------------------------------------------------------------

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (m_shownOnce)
        return;
    m_shownOnce = true;
    // The first layout of a fresh window: docks sized for their content. They only take once the
    // window has its final size, after this event; a restored layout keeps the user's sizes.
    if (!m_layoutRestored)
        QMetaObject::invokeMethod(
            this,
            [this] {
                resizeDocks({m_bufferDock, m_inspectorDock},
                            {m_bufferPanel->sizeHint().width(), m_inspectorPanel->sizeHint().width()},
                            Qt::Horizontal);
                resizeDocks({m_bufferDock, m_outputDock}, {height() * 2 / 3, height() / 3}, Qt::Vertical);
            },
            Qt::QueuedConnection);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeDiscardChanges(tr("close"))) {
        event->ignore();
        return;
    }
    saveSession();
    m_autosave->removeOwn();
    // Running Python would keep the interpreter (and the exit) waiting.
    if (m_state->isBusy())
        m_controller->stop();
    event->accept();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Paint && watched == this && !m_painted) {
        m_painted = true;
        emit firstPainted();
    }
    if (event->type() == QEvent::Enter) {
        // Hovering a view makes it the one zoom acts on, as focusing it does.
        for (ReportView* view :
             {static_cast<ReportView*>(m_logicalView), static_cast<ReportView*>(m_memoryView),
              static_cast<ReportView*>(m_resultView)})
            if (watched == view->viewport())
                m_activeView = view;
    }
    return QMainWindow::eventFilter(watched, event);
}

} // namespace stridescope
