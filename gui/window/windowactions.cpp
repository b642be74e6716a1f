#include "windowactions.h"

#include "gui/scenario/presetlibrary.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>

namespace stridescope {

namespace {

QAction* makeAction(QMainWindow* window, const QString& text, const QKeySequence& shortcut = {})
{
    auto* action = new QAction(text, window);
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    return action;
}

QAction* withShortcut(QAction* action, const QKeySequence& shortcut)
{
    action->setShortcut(shortcut);
    return action;
}

} // namespace

WindowActions::WindowActions(QMainWindow* window, QUndoStack* undoStack)
    : newScenario(makeAction(window, tr("&New"), QKeySequence::New)),
      open(makeAction(window, tr("&Open…"), QKeySequence::Open)),
      save(makeAction(window, tr("&Save"), QKeySequence::Save)),
      saveAs(makeAction(window, tr("Save &As…"), QKeySequence::SaveAs)),
      exportImage(makeAction(window, tr("&Export Image…"), QKeySequence(Qt::CTRL | Qt::Key_E))),
      copyImage(makeAction(window, tr("&Copy Image"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C))),
      quit(makeAction(window, tr("&Quit"), QKeySequence::Quit)),
      undo(withShortcut(undoStack->createUndoAction(window, tr("&Undo")), QKeySequence::Undo)),
      redo(withShortcut(undoStack->createRedoAction(window, tr("&Redo")), QKeySequence::Redo)),
      run(makeAction(window, tr("&Run"), QKeySequence(Qt::CTRL | Qt::Key_Return))),
      stop(makeAction(window, tr("&Stop"), QKeySequence(Qt::CTRL | Qt::Key_Period))),
      zoomIn(makeAction(window, tr("Zoom &In"), QKeySequence::ZoomIn)),
      zoomOut(makeAction(window, tr("Zoom &Out"), QKeySequence::ZoomOut)),
      fit(makeAction(window, tr("&Fit to Window"), QKeySequence(Qt::CTRL | Qt::Key_0))),
      lightTheme(makeAction(window, tr("&Light Theme"))), darkTheme(makeAction(window, tr("&Dark Theme"))),
      colourBlindSafe(makeAction(window, tr("&Colour-Blind-Safe Palette")))
{
    // Ctrl+Return is the window's: the code editor leaves it alone, so it runs from there too.
    run->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    run->setIcon(window->style()->standardIcon(QStyle::SP_MediaPlay));
    run->setToolTip(tr("Run the scenario now (Ctrl+Return)"));
    stop->setIcon(window->style()->standardIcon(QStyle::SP_MediaStop));
    stop->setEnabled(false);

    auto* themes = new QActionGroup(window);
    for (QAction* a : {lightTheme, darkTheme}) {
        a->setCheckable(true);
        themes->addAction(a);
    }
    lightTheme->setChecked(true);
    colourBlindSafe->setCheckable(true);
}

void WindowActions::addMenus(QMainWindow* window, const QList<QDockWidget*>& docks)
{
    addFileMenu(window);
    QMenu* edit = window->menuBar()->addMenu(tr("&Edit"));
    edit->addAction(undo);
    edit->addAction(redo);
    QMenu* inspect = window->menuBar()->addMenu(tr("&Inspect"));
    inspect->addAction(run);
    inspect->addAction(stop);
    addPresetsMenu(window);
    addViewMenu(window, docks);
    QMenu* help = window->menuBar()->addMenu(tr("&Help"));
    about = help->addAction(tr("&About Stridescope"));
}

void WindowActions::addFileMenu(QMainWindow* window)
{
    QMenu* file = window->menuBar()->addMenu(tr("&File"));
    file->addAction(newScenario);
    file->addAction(open);
    recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(save);
    file->addAction(saveAs);
    file->addSeparator();
    file->addAction(exportImage);
    file->addAction(copyImage);
    file->addSeparator();
    file->addAction(quit);
}

void WindowActions::addPresetsMenu(QMainWindow* window)
{
    QMenu* menu = window->menuBar()->addMenu(tr("&Presets"));
    menu->setToolTipsVisible(true);
    for (const Preset& preset : PresetLibrary::all()) {
        QAction* a = menu->addAction(QStringLiteral("%1 — %2").arg(preset.notes.title, preset.notes.summary));
        a->setObjectName(QStringLiteral("preset_") + preset.name);
        a->setToolTip(preset.notes.explanation);
        a->setStatusTip(preset.notes.summary);
        presets.push_back({preset.name, a});
    }
}

void WindowActions::addViewMenu(QMainWindow* window, const QList<QDockWidget*>& docks)
{
    QMenu* view = window->menuBar()->addMenu(tr("&View"));
    view->addAction(zoomIn);
    view->addAction(zoomOut);
    view->addAction(fit);
    view->addSeparator();
    view->addAction(lightTheme);
    view->addAction(darkTheme);
    view->addAction(colourBlindSafe);
    view->addSeparator();
    for (QDockWidget* dock : docks)
        view->addAction(dock->toggleViewAction());
}

void WindowActions::addRequestToolBar(QMainWindow* window, QWidget* requestBar)
{
    // The request sits in a toolbar across the whole window: it is what every edit is asked of,
    // and the pictures below get the width of the central area.
    auto* tools = window->addToolBar(tr("Request"));
    tools->setObjectName(QStringLiteral("requestToolBar"));
    tools->setMovable(false);
    tools->addWidget(requestBar);
    auto* spacer = new QWidget(tools);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    tools->addWidget(spacer);
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(run);
    tools->addAction(stop);
}

} // namespace stridescope
