import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Home: the pack's title, entry points, the 1+9+N halls, featured exhibits and themes.
ScreenPage {
    id: page
    objectName: "screen-home"
    screenName: "home"
    title: App.packTitle !== "" ? App.packTitle : qsTr("Hongtu Red Map")

    HallListModel { id: provinceHalls; level: "province" }
    HallListModel { id: cityHalls; level: "city" }
    HallListModel { id: countyHalls; level: "county" }
    ExhibitListModel { id: featured; featured: true }

    // a new visitor starts at the top
    function resetView() { flick.contentY = 0; featuredRow.positionViewAtBeginning() }

    Flickable {
        id: flick
        objectName: "homeFlick"
        anchors.fill: parent
        contentWidth: width
        contentHeight: col.height + Theme.margin * 2
        boundsBehavior: Flickable.DragOverBounds
        flickableDirection: Flickable.VerticalFlick
        ScrollIndicator.vertical: ScrollIndicator { }

        Column {
            id: col
            x: Theme.margin
            y: Theme.margin
            width: flick.width - Theme.margin * 2
            spacing: Theme.margin

            Text {
                visible: App.error !== ""
                width: parent.width
                text: qsTr("The exhibition content could not be loaded.") + "\n" + App.error
                color: Theme.redBright
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
            }
            Text {
                visible: !App.ready && App.error === ""
                text: qsTr("Loading…")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }

            // hero: the pack and the ways in
            RowLayout {
                width: parent.width
                spacing: Theme.margin
                Column {
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignTop
                    spacing: Theme.px(12)
                    Text {
                        width: parent.width
                        text: page.title
                        color: Theme.red
                        font.family: Theme.titleFamily
                        font.pixelSize: Theme.fontHero
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                    Rectangle { width: Theme.px(160); height: Math.max(3, Theme.px(6)); color: Theme.gold }
                    Text {
                        width: parent.width
                        visible: App.packDescription !== ""
                        text: App.packDescription
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        wrapMode: Text.Wrap
                        maximumLineCount: 4
                        elide: Text.ElideRight
                        lineHeight: 1.3
                    }
                    Text {
                        width: parent.width
                        visible: App.ready
                        text: qsTr("%1 halls · %2 exhibits").arg(provinceHalls.count + cityHalls.count + countyHalls.count).arg(App.exhibitCount)
                              + (App.packPublisher !== "" ? "  ·  " + App.packPublisher : "")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                    }
                }
                GridLayout {
                    Layout.alignment: Qt.AlignTop
                    Layout.preferredWidth: Math.min(col.width * 0.45, Theme.px(760))
                    columns: 2
                    columnSpacing: Theme.gap
                    rowSpacing: Theme.gap
                    BigButton { objectName: "entry-map"; Layout.fillWidth: true; text: qsTr("Red map"); subtitle: qsTr("1+9+N halls"); onClicked: App.go("map", {}) }
                    BigButton { objectName: "entry-routes"; Layout.fillWidth: true; text: qsTr("Study routes"); subtitle: qsTr("Walk the red sites"); onClicked: App.go("routes", {}) }
                    BigButton { objectName: "entry-quiz"; Layout.fillWidth: true; kind: "gold"; text: qsTr("Quiz"); subtitle: qsTr("Test yourself, PK a friend"); onClicked: App.go("quiz", {}) }
                    BigButton { objectName: "entry-search"; Layout.fillWidth: true; kind: "gold"; text: qsTr("Search"); subtitle: qsTr("Find an exhibit"); onClicked: App.go("search", {}) }
                    BigButton { objectName: "entry-exhibits"; Layout.fillWidth: true; Layout.columnSpan: 2; kind: "ghost"; text: qsTr("All exhibits"); subtitle: qsTr("Browse by theme"); onClicked: App.go("exhibits", {}) }
                }
            }

            // 1 + 9 + N
            SectionTitle {
                text: qsTr("The 1+9+N red map")
                subtitle: qsTr("%1 province hall, %2 city halls, %3 county halls")
                          .arg(provinceHalls.count).arg(cityHalls.count).arg(countyHalls.count)
                visible: App.ready
            }
            Repeater {
                model: provinceHalls
                HallCard {
                    width: col.width
                    hallId: model.hallId; name: model.name; intro: model.intro; level: model.level
                }
            }
            Grid {
                id: cityGrid
                width: parent.width
                columns: width > Theme.px(1500) ? 5 : 3
                spacing: Theme.gap
                Repeater {
                    model: cityHalls
                    HallCard {
                        width: (cityGrid.width - cityGrid.spacing * (cityGrid.columns - 1)) / cityGrid.columns
                        hallId: model.hallId; name: model.name; intro: model.intro; level: model.level
                    }
                }
            }
            Grid {
                id: countyGrid
                visible: countyHalls.count > 0
                width: parent.width
                columns: width > Theme.px(1500) ? 5 : 3
                spacing: Theme.gap
                Repeater {
                    model: countyHalls
                    HallCard {
                        width: (countyGrid.width - countyGrid.spacing * (countyGrid.columns - 1)) / countyGrid.columns
                        hallId: model.hallId; name: model.name; intro: model.intro; level: model.level
                    }
                }
            }

            // featured exhibits
            SectionTitle { text: qsTr("Featured exhibits"); visible: featured.count > 0 }
            ListView {
                id: featuredRow
                objectName: "featuredRow"
                visible: featured.count > 0
                width: parent.width
                height: Theme.cardHeight(Theme.px(400))
                orientation: ListView.Horizontal
                spacing: Theme.gap
                clip: true
                model: featured
                boundsBehavior: Flickable.DragOverBounds
                delegate: ExhibitCard {
                    width: Theme.px(400)
                    height: featuredRow.height
                    exhibitId: model.exhibitId; title: model.title; period: model.period
                    summary: model.summary; thumb: model.thumb
                }
            }

            // themes
            SectionTitle { text: qsTr("Themes"); visible: App.tags.length > 0 }
            Flow {
                width: parent.width
                spacing: Theme.px(16)
                Repeater {
                    model: App.tags
                    Chip {
                        text: modelData.label + "  " + modelData.count
                        onClicked: App.go("exhibits", { tag: modelData.tagId })
                    }
                }
            }
        }
    }
}
