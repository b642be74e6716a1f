#include "requestbar.h"

#include "gui/model/scenariodocument.h"

#include <QApplication>
#include <QButtonGroup>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace stridescope {

namespace {

QLabel* codeLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    label->setFont(mono);
    return label;
}

QToolButton* argumentButton(const QString& text, const QString& tip, const QString& name, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setObjectName(name);
    b->setCheckable(true);
    b->setAutoRaise(false);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setBold(true);
    b->setFont(mono);
    return b;
}

} // namespace

RequestBar::RequestBar(ScenarioDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_bufferType(new QButtonGroup(this)),
      m_order(new QButtonGroup(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(2);
    auto* caption = new QLabel(tr("Call"), this);
    QFont bold = caption->font();
    bold.setBold(true);
    caption->setFont(bold);
    layout->addWidget(caption);
    layout->addSpacing(8);
    layout->addWidget(codeLabel(QStringLiteral("PyMemoryView_GetContiguous(obj, "), this));

    const auto read = argumentButton(QStringLiteral("PyBUF_READ"),
                                     tr("A read-only result: CPython may copy a non-contiguous buffer"),
                                     QStringLiteral("requestRead"), this);
    const auto write = argumentButton(QStringLiteral("PyBUF_WRITE"),
                                      tr("A writable result on the same memory: never a copy, so a "
                                         "non-contiguous or read-only buffer is refused"),
                                      QStringLiteral("requestWrite"), this);
    m_bufferType->addButton(read, int(ConversionRequest::BufferType::Read));
    m_bufferType->addButton(write, int(ConversionRequest::BufferType::Write));
    layout->addWidget(read);
    layout->addWidget(write);
    layout->addWidget(codeLabel(QStringLiteral(", "), this));
    for (const char order : {'C', 'F', 'A'}) {
        auto* b = argumentButton(QStringLiteral("'%1'").arg(QChar::fromLatin1(order)),
                                 QString::fromStdString(ConversionRequest::orderWords(order)),
                                 QStringLiteral("order%1").arg(QChar::fromLatin1(order)), this);
        m_order->addButton(b, order);
        layout->addWidget(b);
    }
    layout->addWidget(codeLabel(QStringLiteral(")"), this));
    layout->addStretch(1);
    followApplicationPalette();

    connect(m_bufferType, &QButtonGroup::idClicked, this, [this](int id) {
        ConversionRequest request = m_document->scenario().request;
        request.bufferType = ConversionRequest::BufferType(id);
        setRequest(request, id == int(ConversionRequest::BufferType::Read) ? tr("Ask for PyBUF_READ")
                                                                           : tr("Ask for PyBUF_WRITE"));
    });
    connect(m_order, &QButtonGroup::idClicked, this, [this](int id) {
        ConversionRequest request = m_document->scenario().request;
        request.order = char(id);
        setRequest(request, tr("Ask for order '%1'").arg(QChar::fromLatin1(char(id))));
    });
    connect(m_document, &ScenarioDocument::changed, this, &RequestBar::refresh);
    refresh();
}

QToolButton* RequestBar::bufferTypeButton(ConversionRequest::BufferType type) const
{
    return qobject_cast<QToolButton*>(m_bufferType->button(int(type)));
}

QToolButton* RequestBar::orderButton(char order) const
{
    return qobject_cast<QToolButton*>(m_order->button(order));
}

void RequestBar::setRequest(const ConversionRequest& request, const QString& description)
{
    Scenario scenario = m_document->scenario();
    scenario.request = request;
    m_document->edit(scenario, description);
}

void RequestBar::refresh()
{
    const ConversionRequest& request = m_document->scenario().request;
    if (auto* b = m_bufferType->button(int(request.bufferType)))
        b->setChecked(true);
    if (auto* b = m_order->button(request.order))
        b->setChecked(true);
}

void RequestBar::followApplicationPalette()
{
    // The chosen argument must stand out at a glance, in any style and theme. The colours are
    // written out, not palette(...): a style sheet resolves those once, and the unchosen buttons
    // stayed white in the dark theme.
    // (The application's palette: it is already the new one when ApplicationPaletteChange arrives,
    // the widget's own follows later.)
    const QPalette p = QApplication::palette();
    const QString sheet =
        QStringLiteral(
            "QToolButton { padding: 3px 8px; border: 1px solid %1; border-radius: 4px; background: %2;"
            " color: %3; }"
            "QToolButton:hover { border-color: %4; }"
            "QToolButton:checked { background: %4; color: %5; border-color: %4; }")
            .arg(p.color(QPalette::Mid).name(), p.color(QPalette::Button).name(),
                 p.color(QPalette::ButtonText).name(), p.color(QPalette::Highlight).name(),
                 p.color(QPalette::HighlightedText).name());
    if (sheet != styleSheet())
        setStyleSheet(sheet);
}

void RequestBar::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        followApplicationPalette();
}

} // namespace stridescope
